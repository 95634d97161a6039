// Listener, I/O threads, signals and reloads (see server.h). Connections are accepted on
// their own strand; over max_connections a socket is closed right after accept (cheaper
// and more predictable under a flood than leaving it in the backlog).
#include "leakproof/proxy/server.h"

#include "proxy_connection.h"
#include "proxy_state.h"
#include "runtime.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>

#include <cstdio>
#include <optional>
#include <thread>
#include <vector>

namespace leakproof::proxy {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

void PrintWarnings(const Config& cfg) {
  for (const auto& w : cfg.warnings) std::fprintf(stderr, "leakproof proxy: %s\n", w.c_str());
}

}  // namespace

struct Server::Impl {
  std::string config_path;
  // One io_context per I/O thread, like nginx's worker processes: a connection (its
  // socket, stream timers, coroutine and the upstream connections it opens) lives on one
  // thread from accept to close, so it needs no strand and the threads share no
  // scheduler lock. The first one also runs the acceptor and the signal handler.
  // Heap-held so ~Server can destroy them (and every pending coroutine frame, which
  // refers to `state`) before `state` goes away.
  std::vector<std::unique_ptr<asio::io_context>> iocs;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  std::optional<ProxyState> state;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::ssl::context> server_tls;
  std::optional<asio::signal_set> signals;
  int threads = 1;
  int max_connections = 1024;
  size_t next_loop = 0;  // round-robin over iocs; only touched on the acceptor's thread

  void Accept() {
    asio::io_context& loop = *iocs[next_loop];
    next_loop = (next_loop + 1) % iocs.size();
    acceptor->async_accept(
        loop.get_executor(), [this](boost::system::error_code ec, tcp::socket socket) {
          if (ec == asio::error::operation_aborted) return;
          if (!ec) {
            if (state->metrics.active_connections() >= max_connections) {
              state->metrics.ConnectionRejected();
              socket.close(ec);
            } else {
              StartConnection(std::move(socket), *state, server_tls ? &*server_tls : nullptr);
            }
          }
          Accept();
        });
  }

  // Thread-safe: stop() makes run() return even while a work guard is held.
  void StopAll() {
    for (auto& ioc : iocs) ioc->stop();
  }

  void WaitSignal() {
    signals->async_wait([this](boost::system::error_code ec, int sig) {
      if (ec) return;
      if (sig == SIGHUP) {
        // Reload off the I/O threads: it re-reads files and may call Vault.
        asio::post(state->blocking, [this] {
          Status s = Reload();
          if (!s.ok()) {
            std::fprintf(stderr,
                         "leakproof proxy: SIGHUP reload failed, still serving the "
                         "previous configuration: %s\n",
                         s.message().c_str());
            return;
          }
          // "ok" only when every secret was re-read; otherwise say which were not.
          const auto stale = state->runtime()->secrets().StaleErrors();
          if (stale.empty()) {
            std::fprintf(stderr, "leakproof proxy: SIGHUP reload ok\n");
          }
          for (const auto& e : stale) {
            std::fprintf(stderr,
                         "leakproof proxy: SIGHUP reload: %s; serving its last good value\n",
                         e.c_str());
          }
        });
        WaitSignal();
        return;
      }
      acceptor->close(ec);
      StopAll();
    });
  }

  Status Reload() {
    auto cfg = LoadConfig(config_path);
    if (!cfg.ok()) return cfg.status();
    PrintWarnings(*cfg);
    const std::shared_ptr<Runtime> previous = state->runtime();
    auto rt = Runtime::Create(std::move(*cfg), previous.get());
    if (!rt.ok()) return Status::InvalidArgument(config_path + ": " + rt.status().message());
    max_connections = (*rt)->config().server.max_connections;
    state->set_runtime(std::move(*rt));
    return Status::Ok();
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  impl_->StopAll();
  impl_->signals.reset();
  impl_->acceptor.reset();
  if (impl_->state) {
    impl_->state->blocking.join();
    impl_->state->pool.reset();
  }
  impl_->keep_running.clear();
  // The acceptor's io_context first: a cancelled accept can still hold a not-yet-open
  // socket object of the io_context it was going to hand the connection to.
  for (auto& ioc : impl_->iocs) ioc.reset();
}

Result<std::unique_ptr<Server>> Server::Create(const std::string& config_path) {
  auto cfg = LoadConfig(config_path);
  if (!cfg.ok()) return cfg.status();
  PrintWarnings(*cfg);
  auto impl = std::make_unique<Impl>();
  impl->config_path = config_path;
  const ServerConfig sc = cfg->server;
  impl->threads = sc.threads > 0
                      ? sc.threads
                      : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  impl->max_connections = sc.max_connections;
  // Hint 1: each io_context is run by one thread, which lets it skip cross-thread
  // wake-ups; work posted from other threads (accepted sockets, forward-auth results,
  // reloads) is still queued under its lock.
  for (int i = 0; i < impl->threads; ++i) {
    impl->iocs.push_back(std::make_unique<asio::io_context>(1));
    impl->keep_running.push_back(asio::make_work_guard(*impl->iocs.back()));
  }
  impl->state.emplace();
  ProxyState& st = *impl->state;
  st.pool = MakeUpstreamPool();
  st.upstream_tls.set_verify_mode(asio::ssl::verify_peer);
  st.upstream_tls.set_default_verify_paths();
  st.upstream_tls.set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                              asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  if (!sc.tls_cert.empty()) {
    impl->server_tls.emplace(asio::ssl::context::tls_server);
    impl->server_tls->set_options(asio::ssl::context::default_workarounds |
                                  asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                                  asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    impl->server_tls->use_certificate_chain_file(sc.tls_cert, ec);
    if (ec) return Status::InvalidArgument(config_path + ": server.tls_cert: " + ec.message());
    impl->server_tls->use_private_key_file(sc.tls_key, asio::ssl::context::pem, ec);
    if (ec) return Status::InvalidArgument(config_path + ": server.tls_key: " + ec.message());
  }
  auto rt = Runtime::Create(std::move(*cfg));
  if (!rt.ok()) return Status::InvalidArgument(config_path + ": " + rt.status().message());
  st.set_runtime(std::move(*rt));

  auto addr = asio::ip::make_address(sc.listen_host, ec);
  if (ec) return Status::InvalidArgument(config_path + ": server.listen: bad address");
  tcp::endpoint ep(addr, sc.listen_port);
  impl->acceptor.emplace(*impl->iocs[0]);
  impl->acceptor->open(ep.protocol(), ec);
  if (!ec) impl->acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor->bind(ep, ec);
  if (!ec) impl->acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::IOError(config_path + ": server.listen: cannot listen on " + sc.listen_host +
                           ":" + std::to_string(sc.listen_port) + ": " + ec.message());
  }
  impl->signals.emplace(*impl->iocs[0], SIGINT, SIGTERM, SIGHUP);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::Run() {
  impl_->Accept();
  impl_->WaitSignal();
  std::vector<std::thread> pool;
  for (size_t i = 1; i < impl_->iocs.size(); ++i) {
    pool.emplace_back([this, i] { impl_->iocs[i]->run(); });
  }
  impl_->iocs[0]->run();
  for (auto& t : pool) t.join();
  return 0;
}

void Server::Stop() { impl_->StopAll(); }

Status Server::Reload() { return impl_->Reload(); }

uint16_t Server::port() const { return impl_->acceptor->local_endpoint().port(); }

}  // namespace leakproof::proxy
