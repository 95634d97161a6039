// ClassifyName: does a variable, key or resource name say its value is a credential?
//
// Names come in every style (apiKey, API_KEY, api-key, x-api-key, db.password,
// Secret_Key, com_amplitude_API_KEY); they are split into lower-case words first, so one
// word list serves all of them. Only the last word (or the last two fused: "apikey",
// "clientsecret") decides: "passwordField", "password_reset_url" and "secret_name" end
// in a word that names something else.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leakproof::scanner::detect {

enum class SecretKind {
  kNone,
  kPassword,  // password, passwd, pwd, pass, passphrase, _auth: short human-chosen values
  kToken,     // secret, token, api key, client secret, credentials: machine-made values
};

struct NameVerdict {
  SecretKind kind = SecretKind::kNone;
  // A weak name ("key", "appKey", "licenseKey") alone is not enough: the value must look
  // random beyond doubt. A strong one ("client_secret", "apiKey", "password") is.
  bool strong = false;
};

// "APIKey" -> {"api", "key"}; "db.password" -> {"db", "password"}; "x-api-key" -> {"x",
// "api", "key"}.
std::vector<std::string> SplitNameWords(std::string_view name);

NameVerdict ClassifyName(std::string_view name);

}  // namespace leakproof::scanner::detect
