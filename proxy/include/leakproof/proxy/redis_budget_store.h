// Rate-limit budgets shared by every proxy replica through one Redis (hiredis client).
//
// Each bucket is a Redis hash {t: last refill in ms, n: tokens} updated by one Lua script
// (EVALSHA; loaded on connect and re-loaded on NOSCRIPT), so take-a-token is atomic across
// replicas. The script reads the clock with Redis TIME, so replicas with skewed clocks
// still agree, and sets a 61 s expiry (a bucket is full again after 60 s, so forgetting it
// changes nothing). Bucket keys are `key_prefix` + hex(SHA-256(key))[0:16]: a session id
// or client IP never reaches Redis, even in hashed-once form.
//
// Calls are synchronous on the calling (I/O) thread, bounded by the configured connect
// and command timeouts (a few ms), over a pool of at most `pool_size` connections (one per
// I/O thread is enough: a thread makes one call at a time). A failed command fails its own
// request only; when Redis cannot be reached, or after 3 failed commands in a row, the
// store answers kStoreError at once, without network, for `retry_after_ms`, so a dead or
// slow Redis costs each request nothing rather than one timeout each. Thread-safe.
#pragma once

#include "leakproof/proxy/budget_store.h"
#include "leakproof/proxy/config.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

struct redisContext;

namespace leakproof::proxy {

class RedisBudgetStore final : public BudgetStore {
 public:
  RedisBudgetStore(const BudgetStoreConfig& cfg, int pool_size);
  ~RedisBudgetStore() override;
  RedisBudgetStore(const RedisBudgetStore&) = delete;
  RedisBudgetStore& operator=(const RedisBudgetStore&) = delete;

  BudgetDecision Acquire(const std::string& key, int per_minute) override;

  // PING (for /readyz and /metrics). Inside the back-off window after a failure it answers
  // false without touching the network.
  bool Ping();
  uint64_t errors() const { return errors_; }
  std::string last_error() const;
  std::string address() const { return cfg_.redis_host + ":" + std::to_string(cfg_.redis_port); }

  // The Lua script, exposed for tests.
  static const char* Script();

 private:
  // A pooled or new connection; nullptr when the pool is exhausted or Redis cannot be
  // reached (only the latter starts the back-off).
  redisContext* Take(std::string& error);
  void Give(redisContext* c, bool healthy);
  redisContext* Connect(std::string& error);
  bool LoadScript(redisContext* c, std::string& error);
  void Failed(const std::string& error, bool unreachable);
  bool InBackoff() const;

  const BudgetStoreConfig cfg_;
  const size_t pool_size_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<redisContext*> idle_;
  size_t open_ = 0;
  std::string script_sha_;  // under mu_
  std::string last_error_;  // under mu_
  std::atomic<int64_t> down_until_ns_{0};
  std::atomic<uint64_t> errors_{0};
  std::atomic<int> consecutive_errors_{0};
  static constexpr int kMaxConsecutiveErrors = 3;
};

}  // namespace leakproof::proxy
