// Fuzz target for the proxy's hand-written parsers of untrusted input: request targets
// (route split, path safety, pattern and query allowlists, credential placement), the
// Cookie header, session JWTs, and bff.toml validation. The first byte picks the parser
// so one corpus covers all of them.
#include "leakproof/proxy/config.h"
#include "leakproof/proxy/injection.h"
#include "leakproof/proxy/jwt.h"
#include "leakproof/proxy/route_match.h"

#include "server/runtime.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using namespace leakproof::proxy;  // NOLINT: fuzz target

const JwtVerifier& Verifier() {
  static const auto v = [] {
    SessionConfig c;
    c.issuer = "https://app.test";
    c.audience = "leakproof";
    return *JwtVerifier::Create(c, "fuzz-hs256-key-0123456789abcdef0123", "", "");
  }();
  return *v;
}

void FuzzTarget(std::string_view s) {
  auto t = ParseApiTarget(s);
  if (!t) return;
  RouteConfig r;
  r.upstream.base_path = "/v1/{key}";
  r.query = {"a", "limit"};
  bool ok = IsSafePath(t->path) &&
            (MatchPathPattern("/v1/**", t->path) || MatchPathPattern("/m/*/x", t->path)) &&
            QueryAllowed(t->query, r.query);
  (void)QueryNamesOnly(t->query);
  for (AuthKind k : {AuthKind::kBearer, AuthKind::kBasic, AuthKind::kHeader, AuthKind::kQuery,
                     AuthKind::kPath}) {
    r.credential.auth = k;
    r.credential.auth_param = "key";
    Injection inj = BuildInjection(r, t->route, t->path, t->query);
    if (ok && HasHeaderInjection(inj.target)) __builtin_trap();  // must never split lines
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0 || size > 64 * 1024) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      FuzzTarget(in);
      break;
    case 1:
      (void)Verifier().Verify(in, 1800000000);
      break;
    case 2:
      (void)CookieValue(in, "lp_session");
      (void)CookieValue(in, "");
      break;
    case 3:
      (void)ParseConfig(in, "fuzz.toml");
      break;
  }
  return 0;
}
