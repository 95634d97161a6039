// The name-based detector's parts: which names say "credential", which values under
// them look like one, and where each configuration format keeps the pair.
#include "detect/config_credentials.h"
#include "detect/secret_name.h"
#include "detect/secret_value.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace d = leakproof::scanner::detect;

namespace {

d::SecretKind KindOf(const char* name) { return d::ClassifyName(name).kind; }

// The values FindConfigCredentials keeps in `text` for a file called `file_name`.
std::vector<std::string> Found(const std::string& file_name, const std::string& text) {
  std::vector<d::ValueCandidate> out;
  d::FindConfigCredentials(text, d::ConfigFormatOf(file_name, text), out);
  std::vector<std::string> values;
  for (const auto& c : out) values.push_back(text.substr(c.start, c.end - c.start));
  return values;
}

// A 40-hex token built from pieces so the file never holds a key-shaped literal.
const std::string kHex40 = std::string("9f3b2c7a1e") + "5d4f8a6b0c" + "2e9d7f1a3b" + "6c8e0d4a2f";

}  // namespace

TEST_CASE("names in every naming style split into the same words") {
  using V = std::vector<std::string>;
  CHECK(d::SplitNameWords("apiKey") == V{"api", "key"});
  CHECK(d::SplitNameWords("API_KEY") == V{"api", "key"});
  CHECK(d::SplitNameWords("x-api-key") == V{"x", "api", "key"});
  CHECK(d::SplitNameWords("APIKey") == V{"api", "key"});
  CHECK(d::SplitNameWords("db.password") == V{"db", "password"});
  CHECK(d::SplitNameWords("_authToken") == V{"_auth", "token"});
}

TEST_CASE("secret-ish names are recognised, look-alikes are not") {
  for (const char* n : {"password", "DB_PASSWORD", "db.password", "pwd", "passwd", "smtp_pass",
                        "mailPassword", "spring.datasource.password", "_auth", "_password"}) {
    INFO(n);
    CHECK(KindOf(n) == d::SecretKind::kPassword);
  }
  for (const char* n : {"apiKey", "API_KEY", "api-key", "x-api-key", "clientSecret",
                        "client_secret", "Secret_Key", "com_amplitude_API_KEY", "secret",
                        "accessToken", "AWS_SECRET_ACCESS_KEY", "_authToken", "privateKey"}) {
    INFO(n);
    const auto v = d::ClassifyName(n);
    CHECK(v.kind == d::SecretKind::kToken);
    CHECK(v.strong);
  }
  const auto weak = d::ClassifyName("key");
  CHECK(weak.kind == d::SecretKind::kToken);
  CHECK_FALSE(weak.strong);
  for (const char* n : {"passwordField", "password_reset_url", "secret_name", "publicKey",
                        "forgotPassword", "keyboard", "tokenizer", "monkey", "passwordMinLength",
                        "confirm_password", "showPassword", "secretLabel", "passport"}) {
    INFO(n);
    CHECK(KindOf(n) == d::SecretKind::kNone);
  }
}

TEST_CASE("values under credential names: real ones pass, flags and references do not") {
  const d::NameVerdict password{d::SecretKind::kPassword, true};
  const d::NameVerdict strong{d::SecretKind::kToken, true};
  const d::NameVerdict weak{d::SecretKind::kToken, false};
  CHECK(d::ValueLooksSecret("Pseg2020", password));
  CHECK(d::ValueLooksSecret("s3cr3t!x", password));
  CHECK(d::ValueLooksSecret(kHex40, strong));
  CHECK(d::ValueLooksSecret(kHex40, weak));
  for (const char* v :
       {"true", "false", "null", "${DB_PASSWORD}", "%(password)s", "{{ .Pass }}", "@db.password@",
        "passwordInput", "this.password", "/run/secrets/db", "./certs/key.pem",
        "https://vault.internal/v1/db", "123456", "my-field", "Forgot password?", "abc",
        "Contrase\xc3\xb1"
        "a",
        "Passwort"}) {
    INFO(v);
    CHECK_FALSE(d::ValueLooksSecret(v, password));
  }
  CHECK_FALSE(d::ValueLooksSecret("short1", strong));                              // under 12 bytes
  CHECK_FALSE(d::ValueLooksSecret("abcdefghijklmnopqrstu", strong));               // no digit
  CHECK_FALSE(d::ValueLooksSecret("0e4a9f12-6b7c-4d3e-9a8b-1c2d3e4f5a6b", weak));  // UUID
  CHECK_FALSE(d::ValueLooksSecret("primary2", weak));  // too short for a weak name
}

TEST_CASE("key/value configuration: YAML, .properties, .env, .ini, TOML") {
  CHECK(Found("application.yml",
              "spring:\n  datasource:\n    username: app\n"
              "    password: Pseg2020\n    url: jdbc:mysql://db/app\n") ==
        std::vector<std::string>{"Pseg2020"});
  CHECK(Found("app.properties", "db.user=svc\ndb.password=Qw3rty!x\n# db.password=Old2019\n") ==
        std::vector<std::string>{"Qw3rty!x"});
  CHECK(Found(".env", "export API_KEY=\"" + kHex40 + "\"\nDEBUG=true\nPORT=8080\n") ==
        std::vector<std::string>{kHex40});
  CHECK(Found("settings.ini", "[mail]\npass = Tr0ub4dor ; old one\n") ==
        std::vector<std::string>{"Tr0ub4dor"});
  CHECK(Found("config.toml", "[auth]\nclient_secret = \"" + kHex40 + "\"\n") ==
        std::vector<std::string>{kHex40});
  // Negatives from real configuration: flags, references, UI strings, paths.
  CHECK(Found("application.yml",
              "security:\n  password: ${DB_PASSWORD}\n  passwordField: pw1x\n"
              "  require-password: true\n  keystore-password-file: "
              "/etc/ks.pass\n  key: primary\n")
            .empty());
  CHECK(Found("messages.properties", "login.password=Password\nlogin.forgotPassword=Forgot it?\n")
            .empty());
  // Only configuration files are read this way: the same line in a .js file is not.
  CHECK(Found("app.js", "password: Pseg2020\n").empty());
}

TEST_CASE("credential files: .npmrc, settings.xml, .netrc, .pgpass, .git-credentials") {
  CHECK(Found(".npmrc",
              "registry=https://npm.acme.io/\n//npm.acme.io/:_password=cGFzc3cwcmQxMjM=\n"
              "//npm.acme.io/:username=ci\nalways-auth=true\n") ==
        std::vector<std::string>{"cGFzc3cwcmQxMjM="});
  CHECK(Found("settings.xml",
              "<settings><servers><server><id>nexus</id><username>deploy</username>"
              "<password>{COQLCE6DU6GtcS5P=}</password></server></servers></settings>") ==
        std::vector<std::string>{"{COQLCE6DU6GtcS5P=}"});
  CHECK(Found("settings-security.xml",
              "<settingsSecurity><master>{jSMOWnoPFgsHVpMvz5VrIt5k}"
              "</master></settingsSecurity>") ==
        std::vector<std::string>{"{jSMOWnoPFgsHVpMvz5VrIt5k}"});
  CHECK(Found(".netrc", "machine api.heroku.com\n  login ops@acme.io\n  password Hk9-wq2Lm\n") ==
        std::vector<std::string>{"Hk9-wq2Lm"});
  CHECK(Found(".pgpass", "db.acme.io:5432:*:report:R3port!ng\n#comment:1:2:3:4\n") ==
        std::vector<std::string>{"R3port!ng"});
  CHECK(Found(".git-credentials", "https://bot:pa55w0rd@git.acme.io\n") ==
        std::vector<std::string>{"pa55w0rd"});
  CHECK(Found("settings.xml", "<password>${env.NEXUS_PASSWORD}</password>").empty());
  CHECK(Found(".netrc", "machine example.com login anonymous password\n").empty());
}

TEST_CASE("Docker config.json, Gradle and SQL") {
  const std::string docker =
      "{\"auths\":{\"registry.acme.io\":{\"auth\":\"Y2k6czNjcjN0UGFzcw==\"}}}";
  CHECK(Found("config.json", docker) == std::vector<std::string>{"Y2k6czNjcjN0UGFzcw=="});
  CHECK(Found("config.json", "{\"auth\":\"Y2k6czNjcjN0UGFzcw==\"}").empty());  // not Docker's
  CHECK(Found("build.gradle",
              "repositories { maven { credentials { username 'ci'\n"
              "      password 'Gr4dle#Pw' } } }\n") == std::vector<std::string>{"Gr4dle#Pw"});
  CHECK(Found("build.gradle.kts", "credentials { password = \"Kts-2024x\" }\n") ==
        std::vector<std::string>{"Kts-2024x"});
  CHECK(Found("build.gradle", "password project.findProperty('repoPassword')\n").empty());
  CHECK(Found("init.sql",
              "CREATE USER 'app'@'%' IDENTIFIED BY 'Xy7#kLm2';\n"
              "ALTER USER report WITH PASSWORD 'r3p0rt2024';\n") ==
        std::vector<std::string>{"Xy7#kLm2", "r3p0rt2024"});
  CHECK(Found("init.sql", "SELECT * FROM users WHERE password = 'x';\n").empty());
}

TEST_CASE("settings JSON members and connection strings") {
  CHECK(Found("config.json", "{\"api\":{\"baseUrl\":\"https://api.acme.io\",\"clientSecret\":\"" +
                                 kHex40 + "\"},\"debug\":true}") ==
        std::vector<std::string>{kHex40});
  CHECK(Found("appsettings.Production.json",
              "{\n  \"ConnectionStrings\": {\n    \"Default\": \"Server=db;Database=app;User "
              "Id=app;Password=Sq1#Srv2024;\"\n  }\n}\n") ==
        std::vector<std::string>{"Sq1#Srv2024"});
  CHECK(Found("db.properties", "jdbc.url=jdbc:sqlserver://db:1433;user=sa;password=Xy7#kLm2\n") ==
        std::vector<std::string>{"Xy7#kLm2"});
  // package.json and friends are not settings files; a password placeholder stays quiet.
  CHECK(Found("package.json", "{\"password\":\"Pseg2020\"}").empty());
  CHECK(Found("appsettings.json", "{\"Default\":\"Server=db;Password=${DB_PASS};\"}").empty());
  CHECK(Found("settings.json", "{\"editor.tokenColorCustomizations\":{},\"apiKey\":\"\"}").empty());
}
