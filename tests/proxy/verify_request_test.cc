// Unit: `scan --verify`'s request building (every verifiable provider in the pack), the
// SigV4 signer against AWS's published test vector, the verdicts on provider answers and
// the offline Supabase settle. No network.
#include "leakproof/proxy/injection.h"
#include "leakproof/scanner/finding.h"

#include "verify/liveness_request.h"
#include "verify/provider_gate.h"
#include "verify/sigv4.h"
#include "verify/verdict.h"

#include <catch2/catch.hpp>
#include <openssl/evp.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace leakproof::proxy::verify {
namespace {

using scanner::RuleClass;
using scanner::Verification;

const scanner::RuleSet& Pack() {
  static const scanner::RuleSet rules = [] {
    auto r = scanner::LoadBuiltinRules();
    REQUIRE(r.ok());
    return std::move(r).value();
  }();
  return rules;
}

std::string HeaderOf(const LivenessRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

std::string B64Decode(const std::string& s) {
  std::string out(s.size(), '\0');
  int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  out.resize(static_cast<size_t>(std::max(0, n)));
  while (!out.empty() && out.back() == '\0') out.pop_back();
  return out;
}

const std::string kExpectedUnbuildable =
    "bitbucket; gitea (self-hosted); hashicorp-vault (self-hosted); ";

}  // namespace

// AWS's published SigV4 test suite, "get-vanilla" and "get-vanilla-query-order-key-case":
// credentials AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20150830T123600Z,
// us-east-1, service "service", host example.amazonaws.com.
TEST_CASE("SigV4 matches AWS's published test vectors", "[verify]") {
  SigV4Request r;
  r.method = "GET";
  r.host = "example.amazonaws.com";
  r.path = "/";
  r.amz_date = "20150830T123600Z";
  r.region = "us-east-1";
  r.service = "service";
  const std::string secret = std::string("wJalrXUtnFEMI/K7MDENG+bPxRfiCY") + "EXAMPLEKEY";
  SigV4Signature s = SignV4(r, "AKIDEXAMPLE", secret);
  CHECK(s.signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  CHECK(s.authorization ==
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, "
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  r.query = "Param2=value2&Param1=value1";
  CHECK(SignV4(r, "AKIDEXAMPLE", secret).signature ==
        "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
  CHECK(AmzDate(std::chrono::system_clock::from_time_t(1440938160)) == "20150830T123600Z");
}

// Every provider with a liveness request: each rule the verifier would send is built
// against a fake base URL with the right method, path and credential form. A provider
// with a liveness request and no rule that can be built fails the test, unless its base
// URL is the owner's own server (self-hosted), which is never taken from input.
TEST_CASE("every verifiable provider in the pack builds its liveness request", "[verify]") {
  const scanner::RuleSet& pack = Pack();
  const std::string secret = "FAKEKEYabcdefghijklmnopqrstuvwxyz0123456789";
  const std::string partner = "FAKEPARTNER0123456789";
  std::size_t providers = 0, built = 0;
  std::vector<std::string> unbuildable;
  for (const auto& [id, provider] : pack.providers()) {
    if (LivenessFor(provider).method.empty()) continue;
    ++providers;
    std::size_t provider_built = 0;
    std::string self_hosted;
    for (const scanner::Rule& rule : pack.rules()) {
      if (rule.provider != id) continue;
      const scanner::ProviderFacts facts = pack.EffectiveFacts(rule);
      if (std::string why = NotVerifiableReason(rule, facts); !why.empty()) {
        if (why.starts_with("self-hosted")) self_hosted = why;
        continue;
      }
      INFO(rule.id << " auth " << facts.auth);
      KeyMaterial key;
      key.secret = secret;
      key.partner = PartnerRole(rule, facts).empty() ? "" : partner;
      for (const std::string& name : Placeholders(facts.base_url))
        key.placeholders[name] = "tenant1";
      // The fake keeps the pack's base path ({key} for Telegram, {cloud_name}...).
      const std::size_t host_end = facts.base_url.find('/', 8);
      const std::string fake =
          "https://localhost:4431/" + id +
          (host_end == std::string::npos ? "" : facts.base_url.substr(host_end));
      auto req = BuildLivenessRequest(rule, facts, key, std::chrono::system_clock::now(), fake);
      REQUIRE(req.ok());
      ++provider_built;
      const LivenessCheck check = LivenessFor(facts);
      CHECK(req->method == check.method);
      std::string path = check.path;
      if (auto k = path.find("{key}"); k != std::string::npos) path.replace(k, 5, secret);
      CHECK(req->url.starts_with("https://localhost:4431/" + id));
      CHECK(req->url.find(path) != std::string::npos);
      CHECK(req->url.find('{') == std::string::npos);
      const std::string& auth = facts.auth;
      const std::string prefix = facts.auth_prefix;
      if (auth == "bearer") {
        CHECK(HeaderOf(*req, "Authorization") == (prefix.empty() ? "Bearer " : prefix) + secret);
      } else if (auth == "basic") {
        const std::string pair = B64Decode(HeaderOf(*req, "Authorization").substr(6));
        CHECK(HeaderOf(*req, "Authorization").starts_with("Basic "));
        CHECK(pair.find(secret) != std::string::npos);
        // A pair is identifier:secret (Twilio SID:token, Vonage key:secret).
        if (!key.partner.empty()) CHECK(pair == partner + ":" + secret);
        if (!facts.basic_username.empty()) CHECK(pair == facts.basic_username + ":" + secret);
      } else if (auth.starts_with("header:")) {
        CHECK(HeaderOf(*req, auth.substr(7)) == prefix + secret);
      } else if (auth.starts_with("query:")) {
        CHECK(req->url.find(auth.substr(6) + "=" + secret) != std::string::npos);
      } else if (auth == "path") {
        CHECK(req->url.find("/bot" + secret) != std::string::npos);
      } else if (auth == "sigv4") {
        CHECK(
            HeaderOf(*req, "Authorization").starts_with("AWS4-HMAC-SHA256 Credential=" + partner));
        CHECK(!HeaderOf(*req, "X-Amz-Date").empty());
        CHECK(HeaderOf(*req, "Authorization").find(secret) == std::string::npos);
      } else {
        FAIL("no check for auth form " << auth);
      }
      for (const auto& [k, v] : facts.extra_headers) {
        CHECK(HeaderOf(*req, k) == (v.find('{') == std::string::npos ? v : "tenant1"));
      }
      // The dry-run description never has the key or the partner.
      const std::string shown = DescribeRedacted(*req, key);
      CHECK(shown.find(secret) == std::string::npos);
      CHECK(shown.find(partner) == std::string::npos);
    }
    if (provider_built == 0)
      unbuildable.push_back(id + (self_hosted.empty() ? "" : " (self-hosted)"));
    built += provider_built;
  }
  CHECK(providers >= 50);
  CHECK(built >= 100);
  // Providers whose every key is left out on purpose (self-hosted base URLs; only keys
  // that are not the liveness request's credential). A new one needs a look.
  std::string list;
  for (const std::string& u : unbuildable) list += u + "; ";
  INFO("providers with a liveness request and no key sent: " << list);
  CHECK(list == kExpectedUnbuildable);
}

TEST_CASE("the host only ever comes from the rule pack", "[verify]") {
  const scanner::RuleSet& pack = Pack();
  const scanner::Rule* rule = pack.FindRule("algolia.api-key");
  REQUIRE(rule != nullptr);
  const scanner::ProviderFacts facts = pack.EffectiveFacts(*rule);
  KeyMaterial key;
  key.secret = "0123456789abcdef0123456789abcdef";
  key.partner = "APPID12345";
  key.placeholders["app_id"] = key.partner;
  auto ok = BuildLivenessRequest(*rule, facts, key, std::chrono::system_clock::now());
  REQUIRE(ok.ok());
  CHECK(ok->url.starts_with("https://APPID12345-dsn.algolia.net/1/keys/"));
  // A placeholder value that would steer the request to another host is refused.
  for (const char* evil : {"evil.example/x?", "attacker.test", "a@b", "x/../..", ""}) {
    key.placeholders["app_id"] = evil;
    CHECK_FALSE(BuildLivenessRequest(*rule, facts, key, std::chrono::system_clock::now()).ok());
  }
  // Self-hosted base URLs ({vault}, {host}) are never built from anything found.
  const scanner::Rule* vault = pack.FindRule("hashicorp-vault.service-token");
  REQUIRE(vault != nullptr);
  CHECK(NotVerifiableReason(*vault, pack.EffectiveFacts(*vault)).starts_with("self-hosted"));
  // A key missing its paired half is not sent with half a credential.
  const scanner::Rule* twilio = pack.FindRule("twilio.auth-token");
  REQUIRE(twilio != nullptr);
  KeyMaterial lone;
  lone.secret = "0123456789abcdef0123456789abcdef";
  auto no_pair = BuildLivenessRequest(*twilio, pack.EffectiveFacts(*twilio), lone,
                                      std::chrono::system_clock::now());
  CHECK(no_pair.status().code() == scanner::StatusCode::kNotFound);
}

TEST_CASE("verdicts on provider answers", "[verify]") {
  scanner::ProviderFacts github;
  github.id = "github";
  FetchResult r;
  r.status = 200;
  r.body = R"({"login":"octo","name":"Octo Cat","id":1})";
  r.headers = {{"X-OAuth-Scopes", "repo, gist"}};
  Verification v = Judge(github, "GET /user", r, "ghp_secret", "");
  CHECK(v.state == Verification::State::kLive);
  CHECK(v.http_status == 200);
  CHECK(v.identity == "scopes=repo, gist, login=octo, name=Octo Cat");
  // An identity field holding the key is never echoed.
  r.body = R"({"login":"ghp_secret"})";
  CHECK(Judge(github, "GET /user", r, "ghp_secret", "").identity == "scopes=repo, gist");
  r.status = 401;
  CHECK(Judge(github, "GET /user", r, "k", "").state == Verification::State::kRejected);
  r.status = 403;
  CHECK(Judge(github, "GET /user", r, "k", "").state == Verification::State::kRejected);
  r.status = 404;
  CHECK(Judge(github, "GET /user", r, "k", "").state == Verification::State::kUnknown);
  r.status = 503;
  CHECK(Judge(github, "GET /user", r, "k", "").state == Verification::State::kError);
  CHECK(IsRetryable(429));
  CHECK(IsRetryable(502));
  CHECK_FALSE(IsRetryable(401));

  scanner::ProviderFacts slack;
  slack.id = "slack";
  FetchResult s{200, R"({"ok":false,"error":"invalid_auth"})", {}};
  CHECK(Judge(slack, "POST /auth.test", s, "k", "").state == Verification::State::kRejected);

  scanner::ProviderFacts algolia;
  algolia.id = "algolia";
  FetchResult a{200, R"({"acl":["search"]})", {}};
  v = Judge(algolia, "GET /keys/{key}", a, "k", "");
  REQUIRE(v.settled_class);
  CHECK(*v.settled_class == RuleClass::kPublishable);
  a.body = R"({"acl":["search","addObject"]})";
  v = Judge(algolia, "GET /keys/{key}", a, "k", "");
  REQUIRE(v.settled_class);
  CHECK(*v.settled_class == RuleClass::kSecret);
  CHECK(v.evidence.find("addObject") != std::string::npos);

  scanner::ProviderFacts google;
  google.id = "google";
  FetchResult g{403, "{}", {}};
  CHECK(Judge(google, "GET /v1beta/models", g, "k", "").state == Verification::State::kUnknown);
  g = {200, "{}", {}};
  v = Judge(google, "GET /v1beta/models", g, "k", "");
  CHECK(v.state == Verification::State::kLive);
  REQUIRE(v.settled_class);
  CHECK(*v.settled_class == RuleClass::kSecret);
  g = {400,
       R"({"error":{"status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}})",
       {}};
  CHECK(Judge(google, "GET /v1beta/models", g, "k", "").state == Verification::State::kRejected);
}

TEST_CASE("Supabase JWTs are settled offline by their role claim", "[verify]") {
  const scanner::RuleSet& pack = Pack();
  const scanner::Rule* rule = pack.FindRule("supabase.service-role-key");
  REQUIRE(rule != nullptr);
  auto jwt = [](const std::string& payload) {
    std::string b = Base64Encode(payload);
    for (char& c : b) c = c == '+' ? '-' : c == '/' ? '_' : c;
    while (!b.empty() && b.back() == '=') b.pop_back();
    return "eyJhbGciOiJIUzI1NiJ9." + b + ".c2lnbmF0dXJlLW5vdC1jaGVja2Vk";
  };
  auto anon = SettleOffline(*rule, jwt(R"({"ref":"proj1","role":"anon"})"));
  REQUIRE(anon);
  CHECK(*anon->settled_class == RuleClass::kPublishable);
  CHECK(anon->identity == "project=proj1");
  auto service = SettleOffline(*rule, jwt(R"({"role":"service_role"})"));
  REQUIRE(service);
  CHECK(*service->settled_class == RuleClass::kSecret);
  CHECK_FALSE(SettleOffline(*rule, jwt(R"({"role":"authenticated"})")));
  CHECK_FALSE(SettleOffline(*rule, "not-a-jwt"));
}

TEST_CASE("the provider gate caps concurrency per provider", "[verify]") {
  ProviderGate gate(3, 1000.0);
  std::atomic<int> in{0}, max_in{0};
  std::vector<std::thread> threads;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&] {
      REQUIRE(gate.Acquire("p", deadline));
      int now = ++in;
      int seen = max_in.load();
      while (now > seen && !max_in.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      --in;
      gate.Release("p");
    });
  }
  for (auto& t : threads) t.join();
  CHECK(max_in.load() == 3);
  // Past the deadline with no free slot: refused, not blocked forever.
  ProviderGate tight(1, 1000.0);
  REQUIRE(tight.Acquire("q", deadline));
  CHECK_FALSE(tight.Acquire("q", std::chrono::steady_clock::now() + std::chrono::milliseconds(50)));
}

}  // namespace leakproof::proxy::verify
