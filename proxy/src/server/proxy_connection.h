// One client connection: HTTP/1.1 keep-alive loop, the access checks, credential
// injection and the streamed relay to the upstream. Implemented as a C++20 coroutine
// on the socket's strand. The only Beast-heavy translation unit on the data path.
#pragma once

#include "proxy_state.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <memory>

namespace leakproof::proxy {

std::shared_ptr<UpstreamPool> MakeUpstreamPool();

// Serves `socket` until the client or a limit closes it. `server_tls` is null for a
// plain listener. `state` must outlive the connection.
void StartConnection(boost::asio::ip::tcp::socket socket, ProxyState& state,
                     boost::asio::ssl::context* server_tls);

}  // namespace leakproof::proxy
