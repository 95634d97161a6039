// The proxy config and fake secrets shared by the proxy integration tests: one route per
// credential presentation kind plus routes for limits, rotation and failure cases.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace leakproof::testing {

// Fake secrets only; distinctive so a log grep cannot miss them.
inline const std::vector<std::pair<std::string, std::string>>& TestSecretsEnv() {
  static const std::vector<std::pair<std::string, std::string>> env = {
      {"LP_TEST_BEARER", "FAKESECRET-bearer-7f3a9c"},
      {"LP_TEST_BASIC_USER", "FAKESECRET-basicuser-51d2"},
      {"LP_TEST_BASIC_PASS", "FAKESECRET-basicpass-9e07"},
      {"LP_TEST_PAIR_SID", "ACfake0000000000000000000000000001"},
      {"LP_TEST_PAIR_TOKEN", "FAKESECRET-pairtoken-3b71"},
      {"LP_TEST_HEADER", "FAKESECRET-header-c4b8"},
      {"LP_TEST_QUERY", "FAKESECRET-query-2a6f"},
      {"LP_TEST_PATH", "123456:FAKESECRET-path-88e1"},
      {"LP_TEST_VAULT_TOKEN", "fake-vault-token"},
  };
  return env;
}

inline std::string TestRoutesConfig() {
  return R"toml(
[session]
cookie = "lp_session"
jwt_alg = "HS256"
jwt_secret = "env:LP_TEST_SESSION_KEY"
issuer = "https://app.test"
audience = "leakproof"

[csrf]
allowed_origins = ["https://app.test"]

[vault]
address = "http://127.0.0.1:{UPSTREAM_PORT}"
token = "env:LP_TEST_VAULT_TOKEN"
refresh_seconds = 1

[[routes]]
name = "bearer"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}"
methods = ["GET", "POST", "HEAD"]
paths = ["/echo/**", "/redirect", "/setcookie", "/sse", "/cors"]
query = ["limit"]
forward_headers = ["Stripe-Account"]
[routes.credential]
source = "env:LP_TEST_BEARER"
auth = "bearer"
extra_headers = { "OpenAI-Beta" = "assistants=v2" }

[[routes]]
name = "basicuser"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}"
paths = ["/echo/**"]
[routes.credential]
source = "env:LP_TEST_BASIC_USER"
auth = "basic"
basic_role = "username"

[[routes]]
name = "basicpass"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}"
paths = ["/echo/**"]
[routes.credential]
source = "env:LP_TEST_BASIC_PASS"
auth = "basic"
basic_role = "password"
basic_username = "api"

[[routes]]
name = "basicpair"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}"
paths = ["/echo/**"]
[routes.credential]
source = "env:LP_TEST_PAIR_TOKEN"
auth = "basic"
basic_role = "password"
basic_username_source = "env:LP_TEST_PAIR_SID"

[[routes]]
name = "header"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}/echo"
paths = ["/*"]
[routes.credential]
source = "env:LP_TEST_HEADER"
auth = "header:x-api-key"
auth_prefix = "Key "

[[routes]]
name = "query"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}"
paths = ["/echo/**"]
query = ["q"]
[routes.credential]
source = "env:LP_TEST_QUERY"
auth = "query:key"

[[routes]]
name = "path"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}/bot{key}"
paths = ["/echo/**"]
[routes.credential]
source = "env:LP_TEST_PATH"
auth = "path"

[[routes]]
name = "filesecret"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}"
paths = ["/echo/**"]
[routes.credential]
source = "file:{DIR}/api-key.txt"
auth = "bearer"

[[routes]]
name = "vault"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}"
paths = ["/echo/**"]
[routes.credential]
source = "vault:secret/data/bff/app#api_key"
auth = "bearer"

[[routes]]
name = "missing"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}"
paths = ["/echo/**"]
[routes.credential]
# A file that is never written: an unset env: variable is refused at start instead.
source = "file:{DIR}/never-written.txt"
auth = "bearer"

[[routes]]
name = "mobile"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}"
methods = ["GET", "POST"]
paths = ["/echo/**"]
mobile = true
[routes.credential]
source = "env:LP_TEST_BEARER"
auth = "bearer"

[[routes]]
name = "slow"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}"
paths = ["/slow"]
timeout_ms = 300
[routes.credential]
source = "env:LP_TEST_BEARER"
auth = "bearer"

[[routes]]
name = "limited"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}"
paths = ["/echo/**"]
[routes.rate_limit]
per_session_per_minute = 2
[routes.credential]
source = "env:LP_TEST_BEARER"
auth = "bearer"

[[routes]]
name = "capped"
upstream = "http://127.0.0.1:{UPSTREAM_PORT}"
methods = ["POST"]
paths = ["/echo/**"]
max_body_bytes = 64
[routes.json_caps]
max_tokens = 100
[routes.credential]
source = "env:LP_TEST_BEARER"
auth = "bearer"
)toml";
}

}  // namespace leakproof::testing
