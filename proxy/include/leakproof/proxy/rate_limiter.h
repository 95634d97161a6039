// Token-bucket rate limiting keyed by string (route + session, route + IP, route).
// Buckets refill continuously at `per_minute / 60` tokens per second up to `per_minute`.
// Thread-safe (one mutex; the critical section is a map lookup and a few float ops).
// Memory is bounded: when the map grows past a cap, full (idle) buckets are dropped.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace leakproof::proxy {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // Takes one token from `key`'s bucket. Returns 0 when allowed, else the number of
  // seconds (>= 1) until a token is available (the Retry-After value).
  int Acquire(const std::string& key, int per_minute, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens;
    Clock::time_point last;
  };
  static constexpr size_t kMaxBuckets = 200000;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace leakproof::proxy
