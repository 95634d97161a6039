// Credentials in configuration files, found by the name written beside them.
//
// Which files: decided by file name alone (ConfigFormatOf), never by content sniffing,
// so JS bundles and source code never reach this path. Each format has its own small
// parser for where the name and the value really sit:
//   key/value  .env, .properties, .ini, .cfg, .conf, .yaml/.yml, .toml:
//              `name = value`, `name: value`, quoted or not, comments stripped;
//   .npmrc     `_auth=`, `//host/:_password=`, `//host/:_authToken=` (name after the last ':');
//   settings.xml (Maven)  `<password>`, `<passphrase>`, `<master>` elements;
//   .netrc     the token after `password`;
//   .pgpass    the fifth field of host:port:db:user:password;
//   .git-credentials  the password of scheme://user:password@host;
//   Docker config.json  `"auth": "<base64 user:password>"`, `"identitytoken"`;
//   Gradle (.gradle, .gradle.kts) and SQL: a quoted string after a name
//              (`password 'x'`, `password = "x"`, `IDENTIFIED BY 'x'`, `PASSWORD 'x'`);
//   settings JSON (config.json, settings.json, appsettings*.json, secrets.json,
//              credentials.json): every `"name": "value"` member, minified or not.
// In every format, a value that is itself a connection string ("Server=db;User
// Id=app;Password=x;") gives up its Password=/Pwd= part.
#pragma once

#include "detect/secret_name.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace leakproof::scanner::detect {

enum class ConfigFormat {
  kNone,
  kKeyValue,
  kNpmrc,
  kMavenSettings,
  kNetrc,
  kPgpass,
  kGitCredentials,
  kDockerConfig,
  kQuotedAfterName,  // Gradle build scripts and SQL
  kJson,             // app settings JSON: config.json, appsettings*.json, secrets.json...
};

// `file_name` is the last path component (any case). `text` is only consulted to tell a
// Docker config.json (it has "auths") from every other config.json.
ConfigFormat ConfigFormatOf(std::string_view file_name, std::string_view text);

struct ValueCandidate {
  std::uint64_t start = 0;  // the value's bytes in the text
  std::uint64_t end = 0;
  NameVerdict name;
  std::string_view name_text;  // the name as written ("MAILGUN_API_KEY"); "" for fixed slots
};

// Values that pass both ClassifyName and ValueLooksSecret, in text order.
void FindConfigCredentials(std::string_view text, ConfigFormat format,
                           std::vector<ValueCandidate>& out);

}  // namespace leakproof::scanner::detect
