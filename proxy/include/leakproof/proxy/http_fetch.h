// A small blocking HTTP(S) GET client for the control plane: Vault KV v2 reads and
// forward-auth checks. Never used on the proxy's data path (that is async, see
// proxy_connection.cc). TLS verifies the peer chain and host name and sends SNI.
// Thread-safe: each call owns its own io_context and sockets.
#pragma once

#include "leakproof/proxy/config.h"

#include <string>
#include <utility>
#include <vector>

namespace leakproof::proxy {

struct FetchResult {
  int status = 0;
  std::string body;
};

// GET `url` with `headers`; the whole exchange must finish within `timeout_ms`.
// `ca_file` (PEM) replaces the system trust store when non-empty. Bodies over
// `max_body_bytes` fail. Error messages name the host, never header values.
Result<FetchResult> HttpGet(const std::string& url,
                            const std::vector<std::pair<std::string, std::string>>& headers,
                            int timeout_ms, const std::string& ca_file,
                            size_t max_body_bytes = 1 << 20);

}  // namespace leakproof::proxy
