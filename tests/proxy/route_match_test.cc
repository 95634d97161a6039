// Unit: request-target splitting, path-trick rejection, pattern and query allowlists,
// and the exact upstream bytes per credential presentation kind.
#include "leakproof/proxy/route_match.h"

#include "leakproof/proxy/injection.h"

#include <catch2/catch.hpp>

namespace leakproof::proxy {

TEST_CASE("ParseApiTarget splits route, path and query", "[route]") {
  auto t = ParseApiTarget("/api/openai/v1/models?limit=2");
  REQUIRE(t);
  CHECK(t->route == "openai");
  CHECK(t->path == "/v1/models");
  CHECK(t->query == "limit=2");
  auto bare = ParseApiTarget("/api/openai");
  REQUIRE(bare);
  CHECK(bare->path == "/");
  CHECK(!ParseApiTarget("/apix/openai"));
  CHECK(!ParseApiTarget("/api/"));
  CHECK(!ParseApiTarget("/api//x"));
}

TEST_CASE("IsSafePath rejects traversal and encoded separators", "[route]") {
  CHECK(IsSafePath("/v1/models"));
  CHECK(IsSafePath("/v1/models/"));
  CHECK(IsSafePath("/"));
  for (const char* bad : {"/../x", "/a/./b", "/a//b", "/a/%2e%2e/b", "/a%2Fb", "/a%5cb", "/a\\b",
                          "/a%00", "a/b", "", "/a b", "/a#b"}) {
    INFO(bad);
    CHECK(!IsSafePath(bad));
  }
}

// Issue 13: "/api/ai/models/..;" was forwarded as "/v1/models/..;", which a server that
// strips ";" path parameters (Tomcat, Jetty, Spring) resolves to "/v1/".
TEST_CASE("IsSafePath rejects segments a parameter-stripping server reads as dot segments",
          "[route]") {
  for (const char* bad :
       {"/models/..;", "/models/..;x", "/models/..;x/secret", "/a/.;/b", "/a/.;jsessionid=1",
        "/models/..%3b", "/models/..%3Bx/y", "/models/.%3b", "/a/;x/b", "/a/;", "/a/%3bx",
        // encoded dots with a parameter, double encoding, overlong UTF-8, bad escapes
        "/models/%2e%2e;", "/models/%2E%2E;x", "/models/%252e%252e;", "/models/%252e%252e",
        "/a/%c0%ae%c0%ae/b", "/a/%C0%AE", "/a/%c1%9c", "/a/%e0%80%ae", "/a/%u002e%u002e", "/a/%",
        "/a/%2", "/a/%zz"}) {
    INFO(bad);
    CHECK(!IsSafePath(bad));
  }
  // Ordinary uses of ';', dots and escapes stay allowed.
  for (const char* good : {"/models/gpt-4o;v=2", "/a/b.c", "/a/..b", "/a/.well-known",
                           "/files/report%20v2.pdf", "/a/%e2%82%ac", "/a/x;y/z"}) {
    INFO(good);
    CHECK(IsSafePath(good));
  }
}

TEST_CASE("MatchPathPattern: literal, *, trailing **", "[route]") {
  CHECK(MatchPathPattern("/v1/models", "/v1/models"));
  CHECK(!MatchPathPattern("/v1/models", "/v1/models/x"));
  CHECK(!MatchPathPattern("/v1/models", "/v1/Models"));
  CHECK(MatchPathPattern("/v1/models/*", "/v1/models/gpt"));
  CHECK(!MatchPathPattern("/v1/models/*", "/v1/models/"));
  CHECK(!MatchPathPattern("/v1/models/*", "/v1/models/a/b"));
  CHECK(MatchPathPattern("/v1/**", "/v1"));
  CHECK(MatchPathPattern("/v1/**", "/v1/a/b/c"));
  CHECK(!MatchPathPattern("/v1/**", "/v2/a"));
}

TEST_CASE("QueryAllowed and QueryNamesOnly", "[route]") {
  CHECK(QueryAllowed("", {}));
  CHECK(QueryAllowed("a=1&b=2", {"a", "b"}));
  CHECK(!QueryAllowed("a=1&c=2", {"a", "b"}));
  CHECK(!QueryAllowed("a", {}));
  CHECK(QueryNamesOnly("a=secret&b=x&flag") == "a&b&flag");
}

TEST_CASE("BuildInjection: exact bytes per auth kind", "[route]") {
  RouteConfig r;
  r.upstream.base_path = "/v1";
  r.credential.auth = AuthKind::kBearer;
  auto inj = BuildInjection(r, "k1", "/models", "limit=2");
  CHECK(inj.target == "/v1/models?limit=2");
  REQUIRE(inj.headers.size() == 1);
  CHECK(inj.headers[0] == std::pair<std::string, std::string>{"Authorization", "Bearer k1"});

  r.credential.auth_prefix = "Bot ";
  CHECK(BuildInjection(r, "k1", "/x", "").headers[0].second == "Bot k1");

  r.credential = {};
  r.credential.auth = AuthKind::kBasic;
  CHECK(BuildInjection(r, "k1", "/x", "").headers[0].second == "Basic " + Base64Encode("k1:"));
  r.credential.basic_key_is_username = false;
  r.credential.basic_username = "api";
  CHECK(BuildInjection(r, "k1", "/x", "").headers[0].second == "Basic " + Base64Encode("api:k1"));
  // A key pair: the user name is the second secret, never the fixed basic_username.
  r.credential.basic_username = "";
  r.credential.basic_username_source = "env:SID";
  CHECK(BuildInjection(r, "k1", "/x", "", "AC1").headers[0].second ==
        "Basic " + Base64Encode("AC1:k1"));

  r.credential = {};
  r.credential.auth = AuthKind::kHeader;
  r.credential.auth_param = "x-api-key";
  r.credential.extra_headers = {{"anthropic-version", "2023-06-01"}};
  inj = BuildInjection(r, "k1", "/messages", "");
  REQUIRE(inj.headers.size() == 2);
  CHECK(inj.headers[0] == std::pair<std::string, std::string>{"x-api-key", "k1"});
  CHECK(inj.headers[1].first == "anthropic-version");

  r.credential = {};
  r.credential.auth = AuthKind::kQuery;
  r.credential.auth_param = "key";
  inj = BuildInjection(r, "a b&c", "/m", "q=1");
  CHECK(inj.target == "/v1/m?q=1&key=a%20b%26c");
  CHECK(inj.headers.empty());

  r.credential = {};
  r.credential.auth = AuthKind::kPath;
  r.upstream.base_path = "/bot{key}";
  CHECK(BuildInjection(r, "123:AB/C", "/getMe", "").target == "/bot123:AB%2FC/getMe");
}

TEST_CASE("IsStrippedRequestHeader covers credentials, hop-by-hop and injected names", "[route]") {
  RouteConfig r;
  r.credential.auth = AuthKind::kHeader;
  r.credential.auth_param = "X-Api-Key";
  r.credential.extra_headers = {{"Stripe-Version", "1"}};
  for (const char* h :
       {"Cookie", "authorization", "Proxy-Authorization", "Connection", "Keep-Alive", "TE",
        "Trailer", "Transfer-Encoding", "Upgrade", "X-Forwarded-For", "Forwarded", "x-api-key",
        "stripe-version", "X-Requested-With", "Host"}) {
    INFO(h);
    CHECK(IsStrippedRequestHeader(h, r, "X-Requested-With"));
  }
  CHECK(!IsStrippedRequestHeader("Content-Type", r, "X-Requested-With"));
  CHECK(!IsStrippedRequestHeader("Accept", r, "X-Requested-With"));
}

TEST_CASE("HasHeaderInjection finds CR, LF and NUL anywhere", "[route]") {
  CHECK(!HasHeaderInjection(""));
  CHECK(!HasHeaderInjection("Bearer abc; q=\t1"));
  for (const std::string& bad : {std::string("\r"), std::string("a\nb"), std::string("ab\r\n"),
                                 std::string("x\0y", 3), std::string("\0", 1)}) {
    CHECK(HasHeaderInjection(bad));
  }
}

}  // namespace leakproof::proxy
