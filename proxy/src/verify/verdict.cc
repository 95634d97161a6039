// Judging a provider's answer (verdict.h).
#include "verify/verdict.h"

#include "leakproof/proxy/jwt.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace leakproof::proxy::verify {
namespace {

using scanner::RuleClass;
using scanner::Verification;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string HeaderValue(const FetchResult& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (Lower(k) == name) return v;
  }
  return "";
}

// Printable ASCII only, at most 80 bytes: identity goes into terminals and reports.
std::string Clean(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (out.size() >= 80) break;
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return out;
}

// An XML element's text (<Account>123</Account>), "" if absent.
std::string XmlText(const std::string& body, const std::string& tag) {
  const std::string open = "<" + tag + ">", close = "</" + tag + ">";
  std::size_t a = body.find(open);
  if (a == std::string::npos) return "";
  a += open.size();
  std::size_t b = body.find(close, a);
  return b == std::string::npos ? "" : body.substr(a, b - a);
}

// "login=octocat, scopes=repo": what the answer says about the key's owner, cheaply.
std::string Identity(const FetchResult& r, const std::string& secret, const std::string& partner) {
  std::vector<std::string> parts;
  auto add = [&](const std::string& name, const std::string& value) {
    if (value.empty() || parts.size() >= 3) return;
    // Never echo a credential back: a value holding the key or the partner is dropped.
    if ((!secret.empty() && value.find(secret) != std::string::npos) ||
        (!partner.empty() && value.find(partner) != std::string::npos)) {
      return;
    }
    parts.push_back(name + "=" + Clean(value));
  };
  add("scopes", HeaderValue(r, "x-oauth-scopes"));  // GitHub classic tokens
  add("org", HeaderValue(r, "openai-organization"));
  add("account", XmlText(r.body, "Account"));  // AWS STS GetCallerIdentity
  add("arn", XmlText(r.body, "Arn"));
  auto json = nlohmann::json::parse(r.body, nullptr, false);
  if (json.is_object()) {
    const nlohmann::json* obj = &json;
    if (json.contains("user") && json["user"].is_object()) obj = &json["user"];
    for (const char* k : {"login", "username", "email", "team", "team_id", "account_id", "name"}) {
      if (obj->contains(k) && (*obj)[k].is_string()) add(k, (*obj)[k].get<std::string>());
    }
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// Algolia: a key whose ACL is only "search" (plus harmless read ACLs) is a search-only
// key, designed to ship; any write or admin ACL makes it a secret.
void SettleAlgolia(const nlohmann::json& body, Verification& v) {
  if (!body.is_object() || !body.contains("acl") || !body["acl"].is_array()) return;
  std::vector<std::string> risky;
  for (const auto& a : body["acl"]) {
    if (!a.is_string()) continue;
    const std::string acl = a.get<std::string>();
    if (acl != "search" && acl != "browse" && acl != "listIndexes") risky.push_back(acl);
  }
  if (risky.empty()) {
    v.settled_class = RuleClass::kPublishable;
    v.evidence += "; ACL is search-only: publishable";
  } else {
    v.settled_class = RuleClass::kSecret;
    std::string list;
    for (const std::string& a : risky) list += (list.empty() ? "" : ",") + Clean(a);
    v.evidence += "; ACL allows " + list + ": secret";
  }
}

}  // namespace

bool IsRetryable(int http_status) { return http_status == 429 || http_status >= 500; }

Verification Judge(const scanner::ProviderFacts& facts, const std::string& what,
                   const FetchResult& answer, const std::string& secret,
                   const std::string& partner) {
  Verification v;
  v.http_status = answer.status;
  v.evidence = "HTTP " + std::to_string(answer.status) + " from " + what;
  const int s = answer.status;
  const auto json = nlohmann::json::parse(answer.body, nullptr, false);
  if (s >= 200 && s < 300) {
    // Slack answers 200 {"ok": false, "error": "invalid_auth"} for a dead token.
    if (json.is_object() && json.contains("ok") && json["ok"].is_boolean() && !json["ok"]) {
      const std::string err = json.value("error", std::string());
      const bool dead = err == "invalid_auth" || err == "not_authed" || err == "token_revoked" ||
                        err == "account_inactive" || err == "token_expired";
      v.state = dead ? Verification::State::kRejected : Verification::State::kUnknown;
      v.evidence += " (ok: false, " + Clean(err) + ")";
      return v;
    }
    v.state = Verification::State::kLive;
    v.identity = Identity(answer, secret, partner);
    if (facts.id == "algolia") SettleAlgolia(json, v);
    if (facts.id == "google" || facts.id == "gemini") {
      // An unrestricted Maps/Firebase-style key that the Gemini API accepts can be billed
      // by anyone who copies it: no longer "maybe public".
      v.settled_class = RuleClass::kSecret;
      v.evidence += "; the Generative Language API accepts it";
    }
    return v;
  }
  if (s == 401 || s == 403) {
    // Google answers 403 for a valid key that is restricted or lacks the API: that key
    // is not dead, it is just not usable here.
    if ((facts.id == "google" || facts.id == "gemini") && s == 403) {
      v.state = Verification::State::kUnknown;
      v.evidence += " (API not enabled or key restricted)";
      return v;
    }
    v.state = Verification::State::kRejected;
    return v;
  }
  if (s == 400 && answer.body.find("API_KEY_INVALID") != std::string::npos) {
    v.state = Verification::State::kRejected;  // Google's answer for a key that does not exist
    return v;
  }
  v.state = IsRetryable(s) ? Verification::State::kError : Verification::State::kUnknown;
  return v;
}

std::optional<Verification> SettleOffline(const scanner::Rule& rule, const std::string& secret) {
  if (rule.provider != "supabase" || std::count(secret.begin(), secret.end(), '.') != 2) {
    return std::nullopt;
  }
  const std::size_t a = secret.find('.'), b = secret.find('.', a + 1);
  std::string payload;
  if (!Base64UrlDecode(secret.substr(a + 1, b - a - 1), payload)) return std::nullopt;
  auto claims = nlohmann::json::parse(payload, nullptr, false);
  if (!claims.is_object() || !claims.contains("role") || !claims["role"].is_string()) {
    return std::nullopt;
  }
  const std::string role = claims["role"].get<std::string>();
  Verification v;
  v.state = Verification::State::kUnknown;  // nothing was sent: liveness not known
  if (role == "anon") {
    v.settled_class = RuleClass::kPublishable;
  } else if (role == "service_role") {
    v.settled_class = RuleClass::kSecret;
  } else {
    return std::nullopt;
  }
  v.evidence = "offline: the JWT's role claim is " + role + " (no request sent)";
  if (claims.contains("ref") && claims["ref"].is_string()) {
    v.identity = "project=" + Clean(claims["ref"].get<std::string>());
  }
  return v;
}

}  // namespace leakproof::proxy::verify
