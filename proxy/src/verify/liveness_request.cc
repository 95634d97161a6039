// Liveness request building per auth form (liveness_request.h).
#include "verify/liveness_request.h"

#include "leakproof/proxy/injection.h"
#include "leakproof/proxy/route_match.h"
#include "leakproof/scanner/finding.h"

#include "verify/sigv4.h"

#include <algorithm>
#include <cctype>

namespace leakproof::proxy::verify {
namespace {

using scanner::Result;
using scanner::Status;

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool Contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
    s.replace(pos, from.size(), to);
  }
}

// The host part of an https URL ("" if none).
std::string HostPart(const std::string& url) {
  std::size_t start = url.find("://");
  if (start == std::string::npos) return "";
  start += 3;
  return url.substr(start, url.find_first_of("/?", start) - start);
}

}  // namespace

bool IsDnsLabel(const std::string& s) {
  if (s.empty() || s.size() > 63 || s.front() == '-' || s.back() == '-') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
  });
}

LivenessCheck LivenessFor(const scanner::ProviderFacts& facts) {
  // Algolia's pack has no generic liveness: the check that matters is the key's ACL
  // (search-only or not), which its own GET /1/keys/<key> answers.
  if (facts.id == "algolia") return {"GET", "/keys/{key}"};
  return {facts.liveness_method, facts.liveness_path};
}

std::vector<std::string> Placeholders(const std::string& base_url) {
  std::vector<std::string> out;
  for (std::size_t open = base_url.find('{'); open != std::string::npos;
       open = base_url.find('{', open + 1)) {
    std::size_t close = base_url.find('}', open);
    if (close == std::string::npos) break;
    std::string name = base_url.substr(open + 1, close - open - 1);
    if (name != "key") out.push_back(name);
  }
  return out;
}

bool IsIdentifierHalf(const scanner::Rule& rule) {
  if (rule.pair.empty()) return false;
  if (EndsWith(rule.id, "-id") || EndsWith(rule.id, "-sid")) return true;
  return Contains(rule.pair, "secret") && !Contains(rule.id, "secret");
}

std::string PartnerRole(const scanner::Rule& rule, const scanner::ProviderFacts& facts) {
  if (facts.auth == "sigv4") return "access key id";
  if (facts.id == "algolia") return "app id";
  if (facts.auth == "basic" && facts.basic_username.empty() && !rule.pair.empty()) {
    return "user name";
  }
  return "";
}

std::string NotVerifiableReason(const scanner::Rule& rule, const scanner::ProviderFacts& facts) {
  const LivenessCheck check = LivenessFor(facts);
  if (check.method.empty()) return "the rule pack has no liveness request for " + facts.id;
  if (rule.rule_class == scanner::RuleClass::kPublishable) {
    return "publishable: designed to ship, nothing to verify";
  }
  // GET/HEAD, or the pack's POST for a read-only RPC (STS GetCallerIdentity, Slack
  // auth.test), sent without a body; never PUT, PATCH or DELETE.
  if (check.method != "GET" && check.method != "HEAD" && check.method != "POST") {
    return "liveness method " + check.method + " is not read-only";
  }
  // The identifier half of a pair is checked with its secret half, never alone.
  if (facts.auth == "sigv4" && rule.pair.empty()) {
    return "SigV4 needs the access key id and secret pair; this rule is neither half";
  }
  if (EndsWith(rule.id, "-pair")) {
    return "both halves in one finding (\"id:secret\"): checked as its separate halves";
  }
  if (IsIdentifierHalf(rule)) {
    return "an identifier: checked together with its secret half (" + rule.pair + ")";
  }
  // A rule that overrides the provider's base URL or auth is a different credential (a
  // preview token, a global key that also needs an e-mail header): the provider's liveness
  // request says nothing about it, and a 401 there would wrongly read as "rejected".
  if (!rule.base_url.empty() || !rule.auth.empty()) {
    return "presented to another API or in another form than the liveness request";
  }
  if (facts.auth == "none" || facts.auth == "url" || facts.auth == "body" || facts.auth.empty()) {
    return "auth \"" + facts.auth + "\" has no header, query or path form to check";
  }
  // Keys that are not the API credential the liveness request takes: a "rejected" for
  // them would say nothing about the key, so they are not sent at all.
  for (const char* word : {"webhook",
                           "signing",
                           "client-secret",
                           "app-secret",
                           "oauth-app-secret",
                           "refresh-token",
                           "encryption-key",
                           "identity-secret",
                           "shared-secret",
                           "channel-secret",
                           "application-secret",
                           "password",
                           "spaces-secret",
                           "session",
                           "sdk-key",
                           "runner",
                           "agent-token",
                           "trigger-token",
                           "feed-token",
                           "incoming-mail",
                           "scim-token",
                           "workspace-token",
                           "feature-flag",
                           "collection-access-key",
                           "deploy-token",
                           "cicd-job-token",
                           "registration",
                           "config-token",
                           "app-token",
                           "mfa-user-token",
                           "session-token",
                           "mws-auth-token",
                           "npmrc-auth"}) {
    if (Contains(rule.id, word)) return "not the API credential the liveness request takes";
  }
  const std::string host = HostPart(facts.base_url);
  if (host.size() > 2 && host.front() == '{' &&
      (host.find('}') == host.size() - 1 || host[host.find('}') + 1] == ':')) {
    return "self-hosted: the base URL is the owner's own server ({" +
           host.substr(1, host.find('}') - 1) + "}), which leakproof never takes from input";
  }
  if (facts.auth == "path" && facts.base_url.find("{key}") == std::string::npos) {
    return "auth \"path\" without a {key} in the base URL";
  }
  return "";
}

Result<LivenessRequest> BuildLivenessRequest(const scanner::Rule& rule,
                                             const scanner::ProviderFacts& facts,
                                             const KeyMaterial& key,
                                             std::chrono::system_clock::time_point now,
                                             const std::string& base_url) {
  if (std::string why = NotVerifiableReason(rule, facts); !why.empty()) {
    return Status::Unsupported(why);
  }
  const LivenessCheck check = LivenessFor(facts);
  const std::string role = PartnerRole(rule, facts);
  if (!role.empty() && key.partner.empty()) {
    return Status::NotFound("needs the paired " + role + " (" + rule.pair + "), not found");
  }
  if (HasHeaderInjection(key.secret) || HasHeaderInjection(key.partner)) {
    return Status::InvalidArgument("the key holds control characters");
  }
  std::string base = base_url.empty() ? facts.base_url : base_url;
  // Placeholders of the pack's base URL and extra headers (Algolia's
  // X-Algolia-Application-Id: {app_id}); a test-mapped base URL may have dropped some.
  std::vector<std::string> names = Placeholders(facts.base_url);
  std::vector<std::pair<std::string, std::string>> extra(facts.extra_headers.begin(),
                                                         facts.extra_headers.end());
  for (const auto& h : extra) {
    for (const std::string& n : Placeholders(h.second)) names.push_back(n);
  }
  for (const std::string& n : Placeholders(base)) names.push_back(n);
  for (const std::string& name : names) {
    auto it = key.placeholders.find(name);
    if (it == key.placeholders.end()) {
      return Status::NotFound("the base URL needs the tenant's {" + name +
                              "}, which the scan did not find");
    }
    if (!IsDnsLabel(it->second)) {
      return Status::InvalidArgument("{" + name + "} is not a single DNS label");
    }
    ReplaceAll(base, "{" + name + "}", it->second);
    for (auto& h : extra) ReplaceAll(h.second, "{" + name + "}", it->second);
  }
  ReplaceAll(base, "{key}", PathSegmentEncode(key.secret));
  if (!base.starts_with("https://") && base_url.empty()) {
    return Status::Unsupported("the provider's base URL is not https");
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::string path = check.path;
  ReplaceAll(path, "{key}", PathSegmentEncode(key.secret));

  LivenessRequest req;
  req.method = check.method;
  req.url = base + path;
  req.auth_form = facts.auth;
  const std::string& auth = facts.auth;
  const std::string prefix = facts.auth_prefix;
  if (auth == "bearer") {
    req.headers.emplace_back("Authorization", (prefix.empty() ? "Bearer " : prefix) + key.secret);
  } else if (auth == "basic") {
    // A pair is always identifier:secret (Twilio SID:token, Vonage key:secret); a lone
    // key sits where basic_role says, beside the fixed basic_username if any.
    std::string user = key.secret, pass;
    if (!key.partner.empty()) {
      user = key.partner;
      pass = key.secret;
    } else if (facts.basic_role == "password") {
      user = facts.basic_username;
      pass = key.secret;
    }
    req.headers.emplace_back("Authorization", "Basic " + Base64Encode(user + ":" + pass));
  } else if (auth.starts_with("header:")) {
    req.headers.emplace_back(auth.substr(7), prefix + key.secret);
  } else if (auth.starts_with("query:")) {
    req.url += (req.url.find('?') == std::string::npos ? "?" : "&") +
               PercentEncode(auth.substr(6)) + "=" + PercentEncode(key.secret);
  } else if (auth == "sigv4") {
    // STS is global in us-east-1; the access key id is the partner, the secret signs.
    const std::string host = HostPart(req.url);
    const std::size_t q = req.url.find('?');
    std::string target = req.url.substr(req.url.find('/', req.url.find("://") + 3));
    SigV4Request s;
    s.method = req.method;
    s.host = host;
    s.path = target.substr(0, target.find('?'));
    s.query = q == std::string::npos ? "" : req.url.substr(q + 1);
    s.amz_date = AmzDate(now);
    s.region = "us-east-1";
    s.service = "sts";
    req.headers.emplace_back("Host", host);
    req.headers.emplace_back("X-Amz-Date", s.amz_date);
    req.headers.emplace_back("Authorization", SignV4(s, key.partner, key.secret).authorization);
  } else if (auth != "path") {
    return Status::Unsupported("auth \"" + auth + "\" is not supported");
  }
  for (const auto& [k, v] : extra) {
    if (HasHeaderInjection(v)) return Status::InvalidArgument("bad extra header value");
    req.headers.emplace_back(k, v);
  }
  req.headers.emplace_back("User-Agent", "leakproof-verify");
  return req;
}

std::string DescribeRedacted(const LivenessRequest& req, const KeyMaterial& key) {
  auto redact = [&](std::string s) {
    for (const std::string& v : {key.secret, key.partner}) {
      if (v.empty()) continue;
      ReplaceAll(s, v, scanner::Redact(v));
      ReplaceAll(s, PercentEncode(v), scanner::Redact(v));
      ReplaceAll(s, PathSegmentEncode(v), scanner::Redact(v));
    }
    return s;
  };
  std::string out = req.method + " " + redact(req.url);
  out += "  headers:";
  for (const auto& [name, value] : req.headers) {
    (void)value;  // values carry the key (Authorization: Basic base64(...)): names only
    out += " " + name;
  }
  out += "  auth: " + req.auth_form;
  return out;
}

}  // namespace leakproof::proxy::verify
