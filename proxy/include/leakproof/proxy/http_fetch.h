// A small blocking HTTP(S) client for the control plane: Vault KV v2 reads, forward-auth
// checks and `scan --verify`'s read-only liveness requests (proxy/src/verify/). Never used on the
// proxy's data path (that is async, see proxy_connection.cc). TLS verifies the peer chain and host
// name and sends SNI. Thread-safe: each call owns its own io_context and sockets.
#pragma once

#include "leakproof/proxy/config.h"

#include <string>
#include <utility>
#include <vector>

namespace leakproof::proxy {

struct FetchResult {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // response headers, as sent
};

// GET `url` with `headers`; the whole exchange must finish within `timeout_ms`.
// `ca_file` (PEM) replaces the system trust store when non-empty. Bodies over
// `max_body_bytes` fail. Error messages name the host, never header values.
Result<FetchResult> HttpGet(const std::string& url,
                            const std::vector<std::pair<std::string, std::string>>& headers,
                            int timeout_ms, const std::string& ca_file,
                            size_t max_body_bytes = 1 << 20);

// The same for another method without a request body (HEAD, or a read-only POST such as
// AWS STS GetCallerIdentity, sent with Content-Length: 0). A "Host" or "User-Agent" in
// `headers` replaces the default.
Result<FetchResult> HttpSend(const std::string& method, const std::string& url,
                             const std::vector<std::pair<std::string, std::string>>& headers,
                             int timeout_ms, const std::string& ca_file,
                             size_t max_body_bytes = 1 << 20);

}  // namespace leakproof::proxy
