#include "detect/secret_value.h"

#include "leakproof/scanner/finding.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace leakproof::scanner::detect {
namespace {

bool IsAlpha(unsigned char c) { return std::isalpha(c) != 0; }
bool IsDigit(unsigned char c) { return std::isdigit(c) != 0; }
bool IsIdentChar(unsigned char c) { return std::isalnum(c) != 0 || c == '_' || c == '$'; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Values that sit under secret-ish names in real configuration and code but are not
// credentials: flags, types, UI words, and the names of the things themselves.
constexpr std::array<std::string_view, 48> kNonSecretValues = {
    "true",  "false",  "yes",       "no",       "on",        "off",        "null",
    "nil",   "none",   "undefined", "required", "optional",  "enabled",    "disabled",
    "empty", "secret", "password",  "passwd",   "pass",      "string",     "str",
    "text",  "hidden", "masked",    "redacted", "env",       "auto",       "default",
    "token", "key",    "value",     "example",  "test",      "bearer",     "basic",
    "oauth", "oauth2", "jwt",       "apikey",   "api_key",   "secret_key", "sha256",
    "sha1",  "md5",    "bcrypt",    "plain",    "plaintext", "encrypted"};

bool IsReference(std::string_view v) {
  static constexpr std::array<std::string_view, 14> kStarts = {
      "$", "%(", "%{", "{{", "#{", "@", "<", "!", "*", "&", "|", ">", "[", "ENC("};
  for (std::string_view s : kStarts) {
    if (v.substr(0, s.size()) == s) return true;
  }
  const std::string l = Lower(v);
  return l.find("process.env") != std::string::npos || l.find("getenv") != std::string::npos ||
         l.find("${") != std::string::npos || l.find("{{") != std::string::npos;
}

bool IsPathOrUrl(std::string_view v) {
  if (v.find("://") != std::string_view::npos) return true;
  if (v.substr(0, 1) == "/" || v.substr(0, 2) == "./" || v.substr(0, 3) == "../" ||
      v.substr(0, 1) == "~" || v.substr(0, 5) == "file:" || v.substr(0, 10) == "classpath:") {
    return true;
  }
  if (v.size() > 2 && IsAlpha(static_cast<unsigned char>(v[0])) && v[1] == ':' &&
      (v[2] == '\\' || v[2] == '/')) {
    return true;
  }
  static constexpr std::array<std::string_view, 10> kFileEnds = {
      ".pem", ".key", ".jks", ".p12", ".pfx", ".txt", ".json", ".keystore", ".crt", ".yml"};
  const std::string l = Lower(v);
  for (std::string_view e : kFileEnds) {
    if (l.size() > e.size() && l.compare(l.size() - e.size(), e.size(), e) == 0) return true;
  }
  return false;
}

// "this.password", "com.example.ApiKey", "config.secrets.token": code, not a value.
bool IsDottedIdentifier(std::string_view v) {
  if (v.find('.') == std::string_view::npos) return false;
  bool segment_start = true;
  for (unsigned char c : v) {
    if (c == '.') {
      if (segment_start) return false;
      segment_start = true;
      continue;
    }
    if (!IsIdentChar(c) || (segment_start && IsDigit(c))) return false;
    segment_start = false;
  }
  return !segment_start;
}

bool IsUuid(std::string_view v) {
  if (v.size() != 36) return false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? v[i] != '-' : std::isxdigit(static_cast<unsigned char>(v[i])) == 0) return false;
  }
  return true;
}

struct Classes {
  bool lower = false, upper = false, digit = false, symbol = false, space = false;
};

Classes ClassesOf(std::string_view v) {
  Classes k;
  for (unsigned char c : v) {
    if (std::islower(c) != 0) {
      k.lower = true;
    } else if (std::isupper(c) != 0) {
      k.upper = true;
    } else if (IsDigit(c)) {
      k.digit = true;
    } else if (c >= 0x80) {
      // UTF-8 letters ("Contraseña", "パスワード"): i18n words, not symbols.
      k.lower = true;
    } else if (std::isspace(c) != 0 || c < 0x20) {
      k.space = true;
    } else if (c != '-' && c != '_' && c != '.') {
      // Separators of identifiers ("my-field", "user_name") do not make a value random.
      k.symbol = true;
    }
  }
  return k;
}

}  // namespace

bool ValueLooksSecret(std::string_view v, const NameVerdict& name) {
  if (name.kind == SecretKind::kNone || v.empty() || v.size() > 256) return false;
  const Classes k = ClassesOf(v);
  if (k.space) return false;
  const std::string l = Lower(v);
  if (std::find(kNonSecretValues.begin(), kNonSecretValues.end(), l) != kNonSecretValues.end()) {
    return false;
  }
  if (IsReference(v) || IsPathOrUrl(v) || IsDottedIdentifier(v)) return false;
  const bool letter = k.lower || k.upper;
  if (!letter) return false;  // ports, timeouts, PINs, version numbers
  if (name.kind == SecretKind::kPassword) {
    if (v.size() < 4 || v.size() > 128) return false;
    // Letters alone ("passwordInput", "hunter") read as identifiers and words far more
    // often than as passwords; a digit or a symbol is what people are made to add.
    return k.digit || k.symbol;
  }
  const double entropy = ShannonEntropy(v);
  if (!k.digit) return false;
  if (name.strong) return v.size() >= 12 && entropy >= 3.0;
  return v.size() >= 20 && entropy >= 3.5 && !IsUuid(v);
}

}  // namespace leakproof::scanner::detect
