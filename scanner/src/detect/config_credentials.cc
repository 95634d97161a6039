#include "detect/config_credentials.h"

#include "detect/secret_value.h"

#include <cctype>
#include <string>

namespace leakproof::scanner::detect {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.' ||
         c == '$';
}

// "Server=db;User Id=app;Password=x;" (ADO.NET, ODBC, JDBC properties): the value of a
// Password=/Pwd= part of text[start, end), or false.
bool ConnectionStringPassword(std::string_view text, std::uint64_t start, std::uint64_t end,
                              std::uint64_t& from, std::uint64_t& to) {
  const std::string value = Lower(text.substr(start, end - start));
  for (std::string_view key : {"password=", "pwd="}) {
    std::size_t at = value.find(key);
    while (at != std::string::npos && at > 0 && value[at - 1] != ';' && value[at - 1] != ' ') {
      at = value.find(key, at + 1);
    }
    if (at == std::string::npos) continue;
    from = start + at + key.size();
    const std::size_t semi = value.find(';', at);
    to = semi == std::string::npos ? end : start + semi;
    return to > from;
  }
  return false;
}

// A value at text[start, end) under `name`: kept when both checks pass.
void Consider(std::string_view text, std::uint64_t start, std::uint64_t end, NameVerdict name,
              std::vector<ValueCandidate>& out, std::string_view name_text = {}) {
  if (end <= start) return;
  std::uint64_t from = 0, to = 0;
  if (name.kind == SecretKind::kNone || name.kind == SecretKind::kToken) {
    if (end - start < 512 && ConnectionStringPassword(text, start, end, from, to)) {
      const NameVerdict password{SecretKind::kPassword, true};
      if (ValueLooksSecret(text.substr(from, to - from), password)) {
        out.push_back({from, to, password, {}});
      }
      return;
    }
  }
  if (name.kind == SecretKind::kNone) return;
  if (!ValueLooksSecret(text.substr(start, end - start), name)) return;
  out.push_back({start, end, name, name_text});
}

// The JSON string starting at text[i] (a '"'): its end (the closing quote) or npos.
std::size_t JsonStringEnd(std::string_view text, std::size_t i) {
  for (std::size_t k = i + 1; k < text.size(); ++k) {
    if (text[k] == '\\') {
      ++k;
    } else if (text[k] == '"') {
      return k;
    } else if (text[k] == '\n') {
      return std::string_view::npos;
    }
  }
  return std::string_view::npos;
}

// Every "name": "value" member, whatever the nesting and layout.
void JsonMembers(std::string_view text, std::vector<ValueCandidate>& out) {
  std::size_t pos = 0;
  while ((pos = text.find('"', pos)) != std::string_view::npos) {
    const std::size_t name_end = JsonStringEnd(text, pos);
    if (name_end == std::string_view::npos) return;
    std::size_t k = name_end + 1;
    while (k < text.size() && std::isspace(static_cast<unsigned char>(text[k])) != 0) ++k;
    if (k >= text.size() || text[k] != ':') {
      pos = name_end + 1;
      continue;
    }
    ++k;
    while (k < text.size() && std::isspace(static_cast<unsigned char>(text[k])) != 0) ++k;
    if (k >= text.size() || text[k] != '"') {
      pos = k;
      continue;
    }
    const std::size_t value_end = JsonStringEnd(text, k);
    if (value_end == std::string_view::npos) return;
    const std::string_view name = text.substr(pos + 1, name_end - pos - 1);
    Consider(text, k + 1, value_end, ClassifyName(name), out, name);
    pos = value_end + 1;
  }
}

// Calls f(line_start, line) for every line, without its '\n' and '\r'.
template <typename F>
void ForEachLine(std::string_view text, F&& f) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    while (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    f(pos, line);
    pos = nl + 1;
  }
}

// The value that starts at line[i]: a quoted string's inside, or an unquoted run up to
// a trailing comment or the end of the line. Returns false for an unclosed quote.
bool ValueAt(std::string_view line, std::size_t i, std::size_t& from, std::size_t& to) {
  while (i < line.size() && IsSpace(line[i])) ++i;
  if (i >= line.size()) return false;
  if (line[i] == '"' || line[i] == '\'' || line[i] == '`') {
    const std::size_t close = line.find(line[i], i + 1);
    if (close == std::string_view::npos) return false;
    from = i + 1;
    to = close;
    return true;
  }
  from = i;
  to = line.size();
  // "value # comment", "value ; comment" (ini), "value // comment"
  for (std::size_t k = i; k + 1 < line.size(); ++k) {
    if (IsSpace(line[k]) && (line[k + 1] == '#' || line[k + 1] == ';')) {
      to = k;
      break;
    }
  }
  while (to > from && (IsSpace(line[to - 1]) || line[to - 1] == ',' || line[to - 1] == ';')) --to;
  return to > from;
}

// `name = value`, `name: value`, `export NAME=value`, `- name: value`, `"name": "value"`.
void KeyValueLines(std::string_view text, bool npmrc, std::vector<ValueCandidate>& out) {
  ForEachLine(text, [&](std::size_t at, std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && IsSpace(line[i])) ++i;
    if (i >= line.size()) return;
    const char c0 = line[i];
    if (c0 == '#' || c0 == ';' || c0 == '!' || c0 == '[' || line.substr(i, 2) == "//") {
      if (!(npmrc && line.substr(i, 2) == "//")) return;
    }
    if (line.substr(i, 2) == "- ") i += 2;
    if (line.substr(i, 7) == "export ") i += 7;
    // .npmrc names hold ':' ("//registry.npmjs.org/:_authToken"): split on '=' there.
    const std::size_t sep =
        npmrc ? line.find('=', i) : line.find_first_of(std::string_view("=:"), i);
    if (sep == std::string_view::npos || sep == i) return;
    std::string_view name = line.substr(i, sep - i);
    while (!name.empty() && IsSpace(name.back())) name.remove_suffix(1);
    if (name.size() >= 2 && (name.front() == '"' || name.front() == '\'') &&
        name.back() == name.front()) {
      name = name.substr(1, name.size() - 2);
    }
    if (npmrc) {
      const std::size_t colon = name.rfind(':');
      if (colon != std::string_view::npos) name = name.substr(colon + 1);
    }
    for (char c : name) {
      if (!IsNameChar(c)) return;  // prose, not a key
    }
    std::size_t v = sep + 1;
    if (v < line.size() && line[v] == '=') ++v;  // ":=", "=="
    std::size_t from = 0, to = 0;
    if (!ValueAt(line, v, from, to)) return;
    Consider(text, at + from, at + to, ClassifyName(name), out, name);
  });
}

// <password>value</password> and its kin in a Maven settings.xml / settings-security.xml.
void MavenSettings(std::string_view text, std::vector<ValueCandidate>& out) {
  for (std::string_view tag : {"password", "passphrase", "master"}) {
    const std::string open = "<" + std::string(tag) + ">";
    const std::string close = "</" + std::string(tag) + ">";
    std::size_t pos = 0;
    while ((pos = text.find(open, pos)) != std::string_view::npos) {
      const std::size_t from = pos + open.size();
      const std::size_t to = text.find(close, from);
      if (to == std::string_view::npos) break;
      Consider(text, from, to, {SecretKind::kPassword, true}, out);
      pos = to;
    }
  }
}

// machine host login user password secret: the token after "password".
void Netrc(std::string_view text, std::vector<ValueCandidate>& out) {
  std::size_t pos = 0;
  bool after_password = false;
  while (pos < text.size()) {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos])) != 0) ++pos;
    std::size_t end = pos;
    while (end < text.size() && std::isspace(static_cast<unsigned char>(text[end])) == 0) ++end;
    if (end == pos) break;
    if (after_password) Consider(text, pos, end, {SecretKind::kPassword, true}, out);
    after_password = text.substr(pos, end - pos) == "password";
    pos = end;
  }
}

// host:port:database:user:password (':' and '\' escaped with '\').
void Pgpass(std::string_view text, std::vector<ValueCandidate>& out) {
  ForEachLine(text, [&](std::size_t at, std::string_view line) {
    if (line.empty() || line[0] == '#') return;
    int fields = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\\') {
        ++i;
      } else if (line[i] == ':' && ++fields == 4) {
        Consider(text, at + i + 1, at + line.size(), {SecretKind::kPassword, true}, out);
        return;
      }
    }
  });
}

// scheme://user:password@host, one per line.
void GitCredentials(std::string_view text, std::vector<ValueCandidate>& out) {
  ForEachLine(text, [&](std::size_t at, std::string_view line) {
    const std::size_t scheme = line.find("://");
    if (scheme == std::string_view::npos) return;
    const std::size_t at_sign = line.rfind('@');
    const std::size_t colon = line.find(':', scheme + 3);
    if (at_sign == std::string_view::npos || colon == std::string_view::npos || colon > at_sign) {
      return;
    }
    Consider(text, at + colon + 1, at + at_sign, {SecretKind::kPassword, true}, out);
  });
}

bool IsBase64(std::string_view v) {
  if (v.size() < 8) return false;
  for (char c : v) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '+' && c != '/' && c != '=') {
      return false;
    }
  }
  return true;
}

// "auth": "<base64 of user:password>" and "identitytoken": "<token>" in ~/.docker/config.json.
void DockerConfig(std::string_view text, std::vector<ValueCandidate>& out) {
  for (std::string_view key : {"\"auth\"", "\"identitytoken\""}) {
    std::size_t pos = 0;
    while ((pos = text.find(key, pos)) != std::string_view::npos) {
      std::size_t i = pos + key.size();
      pos = i;
      while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) != 0) ++i;
      if (i >= text.size() || text[i] != ':') continue;
      ++i;
      while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) != 0) ++i;
      if (i >= text.size() || text[i] != '"') continue;
      const std::size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) break;
      // The auth value is base64, whose letters-only encodings the password shape check
      // would refuse; its shape is certain here, so only the placeholder filters apply.
      if (IsBase64(text.substr(i + 1, close - i - 1))) {
        out.push_back({i + 1, close, {SecretKind::kPassword, true}, {}});
      }
      pos = close;
    }
  }
}

// A quoted string right after a name: `password 'x'`, `password = "x"`, `setPassword("x")`,
// `IDENTIFIED BY 'x'`, `WITH PASSWORD 'x'`.
void QuotedAfterName(std::string_view text, std::vector<ValueCandidate>& out) {
  ForEachLine(text, [&](std::size_t at, std::string_view line) {
    std::size_t q = 0;
    while ((q = line.find_first_of(std::string_view("\"'"), q)) != std::string_view::npos) {
      const std::size_t close = line.find(line[q], q + 1);
      if (close == std::string_view::npos) return;
      std::size_t k = q;
      while (k > 0 && IsSpace(line[k - 1])) --k;
      if (k > 0 && (line[k - 1] == '=' || line[k - 1] == '(' || line[k - 1] == ':')) --k;
      while (k > 0 && IsSpace(line[k - 1])) --k;
      std::size_t n = k;
      while (n > 0 && IsNameChar(line[n - 1])) --n;
      std::string name = Lower(line.substr(n, k - n));
      if (name == "by") {  // IDENTIFIED BY 'x'
        std::size_t m = n;
        while (m > 0 && IsSpace(line[m - 1])) --m;
        std::size_t w = m;
        while (w > 0 && IsNameChar(line[w - 1])) --w;
        if (Lower(line.substr(w, m - w)) == "identified") name = "password";
      }
      Consider(text, at + q + 1, at + close, ClassifyName(name), out, line.substr(n, k - n));
      q = close + 1;
    }
  });
}

}  // namespace

ConfigFormat ConfigFormatOf(std::string_view file_name, std::string_view text) {
  const std::string n = Lower(file_name);
  if (n == ".npmrc" || n == "npmrc" || n == ".yarnrc") return ConfigFormat::kNpmrc;
  if (n == ".netrc" || n == "_netrc") return ConfigFormat::kNetrc;
  if (n == ".pgpass" || n == "pgpass.conf") return ConfigFormat::kPgpass;
  if (n == ".git-credentials") return ConfigFormat::kGitCredentials;
  if (n == "settings.xml" || n == "settings-security.xml") return ConfigFormat::kMavenSettings;
  if (n == "config.json" && text.find("\"auths\"") != std::string_view::npos) {
    return ConfigFormat::kDockerConfig;
  }
  if (EndsWith(n, ".json") &&
      (n == "config.json" || n == "settings.json" || n == "secrets.json" ||
       n == "credentials.json" || n == "local.settings.json" || n.rfind("appsettings", 0) == 0 ||
       EndsWith(n, ".secrets.json") || EndsWith(n, ".credentials.json"))) {
    return ConfigFormat::kJson;
  }
  if (EndsWith(n, ".gradle") || EndsWith(n, ".gradle.kts") || EndsWith(n, ".sql")) {
    return ConfigFormat::kQuotedAfterName;
  }
  if (n == ".env" || n.rfind(".env.", 0) == 0 || EndsWith(n, ".env"))
    return ConfigFormat::kKeyValue;
  for (std::string_view ext : {".properties", ".ini", ".cfg", ".conf", ".yaml", ".yml", ".toml"}) {
    if (EndsWith(n, ext)) return ConfigFormat::kKeyValue;
  }
  return ConfigFormat::kNone;
}

void FindConfigCredentials(std::string_view text, ConfigFormat format,
                           std::vector<ValueCandidate>& out) {
  switch (format) {
    case ConfigFormat::kNone:
      return;
    case ConfigFormat::kKeyValue:
      return KeyValueLines(text, false, out);
    case ConfigFormat::kNpmrc:
      return KeyValueLines(text, true, out);
    case ConfigFormat::kMavenSettings:
      return MavenSettings(text, out);
    case ConfigFormat::kNetrc:
      return Netrc(text, out);
    case ConfigFormat::kPgpass:
      return Pgpass(text, out);
    case ConfigFormat::kGitCredentials:
      return GitCredentials(text, out);
    case ConfigFormat::kDockerConfig:
      return DockerConfig(text, out);
    case ConfigFormat::kQuotedAfterName:
      return QuotedAfterName(text, out);
    case ConfigFormat::kJson:
      return JsonMembers(text, out);
  }
}

}  // namespace leakproof::scanner::detect
