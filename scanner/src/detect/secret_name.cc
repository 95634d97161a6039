#include "detect/secret_name.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace leakproof::scanner::detect {
namespace {

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

template <std::size_t N>
bool In(const std::array<std::string_view, N>& list, std::string_view w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// Last words that name a password.
constexpr std::array<std::string_view, 9> kPasswordWords = {
    "password", "passwd", "pwd", "pass", "passphrase", "passw", "pword", "_auth", "_password"};
// Last words (or two words fused) that name a machine-made secret on their own.
constexpr std::array<std::string_view, 32> kStrongTokenWords = {
    "secret",      "token",           "apikey",         "secretkey",     "accesskey",
    "privatekey",  "clientsecret",    "appsecret",      "apisecret",     "authtoken",
    "accesstoken", "refreshtoken",    "apitoken",       "bearertoken",   "bottoken",
    "credential",  "credentials",     "signingkey",     "encryptionkey", "masterkey",
    "authkey",     "secretaccesskey", "consumersecret", "webhooksecret", "sharedsecret",
    "secrettoken", "authtoken",       "_authtoken",     "sessiontoken",  "servicekey",
    "adminkey",    "serverkey"};
// Last words that name a key, but also many things that are not secret.
constexpr std::array<std::string_view, 6> kWeakTokenWords = {"key",       "appkey",  "licensekey",
                                                             "clientkey", "userkey", "devkey"};
// Words anywhere in the name that make it a UI string, a public value or a reference
// rather than the credential itself.
constexpr std::array<std::string_view, 30> kDisqualifying = {
    "public",   "publishable", "forgot",  "reset",   "confirm", "confirmation", "show",    "hide",
    "toggle",   "change",      "enter",   "repeat",  "retype",  "validate",     "invalid", "wrong",
    "missing",  "placeholder", "label",   "hint",    "new",     "old",          "current", "verify",
    "strength", "policy",      "expired", "expires", "min",     "max"};

}  // namespace

std::vector<std::string> SplitNameWords(std::string_view name) {
  std::vector<std::string> words;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) words.push_back(std::move(cur));
    cur.clear();
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!IsLower(c) && !IsUpper(c) && !IsDigit(c)) {
      // npm's "_auth"/"_authToken"/"_password" keep their underscore: it is their name.
      if (c == '_' && i == 0 && name.size() > 1) {
        cur += '_';
        continue;
      }
      flush();
      continue;
    }
    if (IsUpper(c) && !cur.empty()) {
      const char prev = name[i - 1];
      const bool next_lower = i + 1 < name.size() && IsLower(name[i + 1]);
      // "apiKey" splits before K; "APIKey" splits before K (the last capital of a run
      // that a lower-case letter follows).
      if (IsLower(prev) || IsDigit(prev) || (IsUpper(prev) && next_lower)) flush();
    }
    cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  flush();
  return words;
}

NameVerdict ClassifyName(std::string_view name) {
  if (name.empty() || name.size() > 120) return {};
  const std::vector<std::string> words = SplitNameWords(name);
  if (words.empty()) return {};
  for (const std::string& w : words) {
    if (In(kDisqualifying, w)) return {};
  }
  const std::string& last = words.back();
  const std::string fused = words.size() >= 2 ? words[words.size() - 2] + last : last;
  const std::string fused3 = words.size() >= 3 ? words[words.size() - 3] + fused : fused;
  if (In(kPasswordWords, last)) return {SecretKind::kPassword, true};
  if (In(kStrongTokenWords, fused3) || In(kStrongTokenWords, fused) ||
      In(kStrongTokenWords, last)) {
    return {SecretKind::kToken, true};
  }
  // "Secret_Key" and "private_key" fuse to a strong word above; a plain "key" (or
  // "appKey") stays weak.
  if (In(kWeakTokenWords, fused) || In(kWeakTokenWords, last)) return {SecretKind::kToken, false};
  return {};
}

}  // namespace leakproof::scanner::detect
