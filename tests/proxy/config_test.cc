// Unit: bff.toml parsing — the documented example parses, and each class of mistake is
// rejected with a message naming the key.
#include "leakproof/proxy/config.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

namespace leakproof::proxy {
namespace {

const char* kMinimal = R"(
[session]
jwt_secret = "env:SESSION_KEY"
[[routes]]
name = "openai"
upstream = "https://api.openai.com/v1"
paths = ["/models"]
[routes.credential]
source = "env:OPENAI_API_KEY"
auth = "bearer"
)";

std::string ErrorOf(const std::string& text) {
  auto c = ParseConfig(text, "bff.toml");
  return c.ok() ? "" : c.status().message();
}

}  // namespace

TEST_CASE("the example in docs/proxy-config.md parses", "[config]") {
  std::ifstream in(std::string(LEAKPROOF_SOURCE_DIR) + "/docs/proxy-config.md");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  size_t start = doc.find("```toml\n");
  REQUIRE(start != std::string::npos);
  start += 8;
  std::string toml = doc.substr(start, doc.find("```", start) - start);
  auto c = ParseConfig(toml, "docs");
  INFO((c.ok() ? "" : c.status().message()));
  REQUIRE(c.ok());
  REQUIRE(c->routes.size() == 1);
  const RouteConfig& r = c->routes[0];
  CHECK(r.upstream.host == "api.openai.com");
  CHECK(r.upstream.port == 443);
  CHECK(r.upstream.base_path == "/v1");
  CHECK(r.json_caps.at("max_tokens") == 1024);
  CHECK(r.rate_limit.per_session_per_minute == 60);
  CHECK(c->server.listen_port == 8787);
}

TEST_CASE("minimal config parses with defaults", "[config]") {
  auto c = ParseConfig(kMinimal, "bff.toml");
  REQUIRE(c.ok());
  CHECK(c->routes[0].methods == std::vector<std::string>{"GET"});
  CHECK(c->csrf.header == "X-Requested-With");
  CHECK(c->csrf.value == "leakproof");
  CHECK(c->server.listen_host == "127.0.0.1");
}

TEST_CASE("errors name the offending key", "[config]") {
  std::string base = kMinimal;
  CHECK(ErrorOf(base + "[csrf]\nallowed_orgins = []\n").find("csrf.allowed_orgins: unknown key") !=
        std::string::npos);
  std::string bad_auth = base;
  bad_auth.replace(bad_auth.find("auth = \"bearer\""), 15, "auth = \"bearr\"");
  CHECK(ErrorOf(bad_auth).find("routes[0].credential.auth") != std::string::npos);
  std::string bad_src = base;
  bad_src.replace(bad_src.find("env:OPENAI_API_KEY"), 18, "sk-live-literal-key");
  CHECK(ErrorOf(bad_src).find("routes[0].credential.source") != std::string::npos);
  std::string bad_url = base;
  bad_url.replace(bad_url.find("https://api.openai.com/v1"), 25, "ftp://x");
  CHECK(ErrorOf(bad_url).find("routes[0].upstream") != std::string::npos);
  CHECK(ErrorOf("[[routes]]\nname=\"x\"\n").find("session") != std::string::npos);
  CHECK(ErrorOf(base + "[server]\nmax_connections = 0\n").find("server.max_connections") !=
        std::string::npos);
  CHECK(ErrorOf(base + "[server]\nlisten = \"nope\"\n").find("server.listen") != std::string::npos);
  CHECK(ErrorOf("not toml = = =").find("bff.toml:1") != std::string::npos);
  std::string path_auth = base;
  path_auth.replace(path_auth.find("auth = \"bearer\""), 15, "auth = \"path\"");
  CHECK(ErrorOf(path_auth).find("{key}") != std::string::npos);
  std::string vault = base;
  vault.replace(vault.find("env:OPENAI_API_KEY"), 18, "vault:secret/data/x#k");
  CHECK(ErrorOf(vault).find("[vault]") != std::string::npos);
}

// Issue 13: an allowed_origins entry a browser's Origin can never equal silently turns every
// write into a 403 (or, worse, gets "fixed" by loosening the check). Refused with the reason.
TEST_CASE("allowed_origins entries that can never match are rejected with the reason", "[config]") {
  std::string base = kMinimal;
  for (const char* bad :
       {"app.test", "https://app.test/", "https://app.test/login", "https://App.test",
        "HTTPS://app.test", "https://app.test:443", "http://app.test:80", "null",
        "https://user@app.test", "ftp://app.test", "https://app.test?x=1"}) {
    INFO(bad);
    std::string err = ErrorOf(base + "[csrf]\nallowed_origins = [\"" + bad + "\"]\n");
    CHECK(err.find("csrf.allowed_origins") != std::string::npos);
    CHECK(err.find("can never match") != std::string::npos);
  }
  CHECK(ErrorOf(base + "[csrf]\nallowed_origins = [\"app.test\"]\n").find("scheme://host[:port]") !=
        std::string::npos);
  for (const char* good : {"https://app.test", "https://app.test:8443", "http://localhost:3000",
                           "https://[::1]:8443", "https://xn--bcher-kva.example"}) {
    INFO(good);
    CHECK(ErrorOf(base + "[csrf]\nallowed_origins = [\"" + good + "\"]\n").empty());
  }
}

TEST_CASE("http:// upstreams outside loopback are refused unless explicitly allowed", "[config]") {
  auto with_upstream = [](const std::string& url, const std::string& extra = "") {
    std::string t = kMinimal;
    t.replace(t.find("https://api.openai.com/v1"), 25, url);
    t.replace(t.find("paths = "), 0, extra);
    return t;
  };
  for (const char* bad : {"http://api.openai.com/v1", "http://10.0.0.5:8080", "http://[::2]:80",
                          "http://127.example.com", "http://localhost.attacker.test"}) {
    INFO(bad);
    std::string err = ErrorOf(with_upstream(bad));
    CHECK(err.find("routes[0].upstream") != std::string::npos);
    CHECK(err.find("clear text") != std::string::npos);
  }
  for (const char* loop :
       {"http://127.0.0.1:8080", "http://127.9.9.9", "http://localhost:1", "http://[::1]:8080"}) {
    INFO(loop);
    auto c = ParseConfig(with_upstream(loop), "bff.toml");
    CHECK(c.ok());
    if (c.ok()) CHECK(c->warnings.empty());
  }
  auto lab = ParseConfig(with_upstream("http://10.0.0.5:8080", "allow_insecure_upstream = true\n"),
                         "bff.toml");
  REQUIRE(lab.ok());
  REQUIRE(lab->warnings.size() == 1);
  CHECK(lab->warnings[0].find("WARNING") != std::string::npos);
  CHECK(lab->warnings[0].find("10.0.0.5") != std::string::npos);
  CHECK(ErrorOf(with_upstream("https://x.test", "allow_insecure_upstream = \"yes\"\n"))
            .find("allow_insecure_upstream") != std::string::npos);
}

TEST_CASE("forward_headers, return_headers and mobile are validated", "[config]") {
  auto with = [](const std::string& extra) {
    std::string t = kMinimal;
    t.replace(t.find("paths = "), 0, extra);
    return t;
  };
  auto ok = ParseConfig(with("forward_headers = [\"Stripe-Account\"]\n"
                             "return_headers = [\"X-Request-Id\"]\nmobile = true\n"),
                        "bff.toml");
  REQUIRE(ok.ok());
  CHECK(ok->routes[0].forward_headers == std::vector<std::string>{"Stripe-Account"});
  CHECK(ok->routes[0].return_headers == std::vector<std::string>{"X-Request-Id"});
  CHECK(ok->routes[0].mobile);
  for (const char* never : {"Cookie", "authorization", "X-Forwarded-For", "Connection", "Host",
                            "X-Requested-With", "Expect"}) {
    INFO(never);
    CHECK(ErrorOf(with("forward_headers = [\"" + std::string(never) + "\"]\n"))
              .find("routes[0].forward_headers") != std::string::npos);
  }
  for (const char* never : {"Access-Control-Allow-Origin", "set-cookie", "Transfer-Encoding",
                            "Content-Length", "Strict-Transport-Security", "Alt-Svc"}) {
    INFO(never);
    CHECK(ErrorOf(with("return_headers = [\"" + std::string(never) + "\"]\n"))
              .find("routes[0].return_headers") != std::string::npos);
  }
  std::string fa = with("mobile = true\n");
  fa.replace(fa.find("jwt_secret"), 0,
             "mode = \"forward_auth\"\nforward_auth_url = \"https://app.test/me\"\n");
  CHECK(ErrorOf(fa).find("routes[0].mobile") != std::string::npos);
}

TEST_CASE("ParseUpstreamUrl", "[config]") {
  auto u = ParseUpstreamUrl("http://127.0.0.1:8080/base/");
  REQUIRE(u.ok());
  CHECK(!u->tls);
  CHECK(u->port == 8080);
  CHECK(u->base_path == "/base");
  CHECK(!ParseUpstreamUrl("https://user:pw@host/").ok());
  CHECK(!ParseUpstreamUrl("https://host/x?y=1").ok());
  CHECK(!ParseUpstreamUrl("https://host:99999/").ok());
  CHECK(ParseUpstreamUrl("https://[::1]:8443").ok());
}

// Issue 13: a key pair (Twilio SID:token) needs both halves from two secret references.
TEST_CASE("basic_username_source: the Basic user name from a second secret", "[config]") {
  std::string pair = kMinimal;
  pair.replace(pair.find("auth = \"bearer\""), 15,
               "auth = \"basic\"\nbasic_role = \"password\"\n"
               "basic_username_source = \"env:TWILIO_ACCOUNT_SID\"");
  auto ok = ParseConfig(pair, "bff.toml");
  REQUIRE(ok.ok());
  CHECK(ok->routes[0].credential.basic_username_source == "env:TWILIO_ACCOUNT_SID");
  CHECK_FALSE(ok->routes[0].credential.basic_key_is_username);

  std::string literal = pair;
  literal.replace(literal.find("env:TWILIO_ACCOUNT_SID"), 22, "AC123");
  CHECK(ErrorOf(literal).find("routes[0].credential.basic_username_source: expected env:") !=
        std::string::npos);
  std::string as_user = pair;
  as_user.replace(as_user.find("\"password\""), 10, "\"username\"");
  CHECK(ErrorOf(as_user).find("routes[0].credential.basic_username_source: needs auth") !=
        std::string::npos);
  std::string both = pair + "basic_username = \"api\"\n";
  CHECK(ErrorOf(both).find("set either basic_username or basic_username_source") !=
        std::string::npos);
  std::string bearer = kMinimal;
  bearer.replace(bearer.find("auth = \"bearer\""), 15,
                 "auth = \"bearer\"\nbasic_username_source = \"env:X\"");
  CHECK(ErrorOf(bearer).find("basic_username_source: needs auth") != std::string::npos);
  std::string vault = pair;
  vault.replace(vault.find("env:TWILIO_ACCOUNT_SID"), 22, "vault:secret/data/tw#sid");
  CHECK(ErrorOf(vault).find("credential.basic_username_source: vault: reference but no [vault]") !=
        std::string::npos);
}

}  // namespace leakproof::proxy
