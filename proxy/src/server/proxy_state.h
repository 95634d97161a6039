// ProxyState: what every connection shares for the server's lifetime — the current
// Runtime snapshot (swapped on reload), counters, rate-limit buckets, the upstream TLS
// context and connection pool, the forward-auth verdict cache and a small thread pool for
// blocking control-plane calls. Thread-safe; owned by Server::Impl.
#pragma once

#include "leakproof/proxy/budget_store.h"
#include "leakproof/proxy/metrics.h"

#include "runtime.h"
#include "usage_monitor.h"

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace leakproof::proxy {

class UpstreamPool;  // proxy_connection.cc

class ForwardAuthCache {
 public:
  using Clock = std::chrono::steady_clock;
  // nullopt when unknown or expired.
  std::optional<bool> Get(const std::string& key) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || Clock::now() >= it->second.first) return std::nullopt;
    return it->second.second;
  }
  void Put(const std::string& key, bool ok, int seconds) {
    if (seconds <= 0) return;
    std::lock_guard lock(mu_);
    if (entries_.size() > 100000) entries_.clear();  // bounded; a cache miss is only slower
    entries_[key] = {Clock::now() + std::chrono::seconds(seconds), ok};
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::pair<Clock::time_point, bool>> entries_;
};

struct ProxyState {
  ProxyState() : upstream_tls(boost::asio::ssl::context::tls_client) {}

  std::shared_ptr<Runtime> runtime() {
    std::lock_guard lock(runtime_mu);
    return current;
  }
  void set_runtime(std::shared_ptr<Runtime> rt) {
    {
      std::lock_guard lock(runtime_mu);
      current.swap(rt);
    }
    // `rt` now holds the old snapshot; it is released here, outside the lock, because
    // its destructor joins the secret refresh thread.
  }

  boost::asio::ssl::context upstream_tls;
  std::shared_ptr<UpstreamPool> pool;
  boost::asio::thread_pool blocking{2};
  Metrics metrics;
  // This replica's own budgets: all of them with the in-memory store, and the fallback
  // for budgets configured to fail open when the shared store cannot answer.
  MemoryBudgetStore local_budgets;
  UsageMonitor usage;
  ForwardAuthCache forward_auth;

 private:
  std::mutex runtime_mu;
  std::shared_ptr<Runtime> current;
};

}  // namespace leakproof::proxy
