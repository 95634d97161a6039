// Token buckets (see rate_limiter.h). Continuous refill instead of fixed windows, so a
// client cannot burst 2x the budget across a window boundary.
#include "leakproof/proxy/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace leakproof::proxy {

int RateLimiter::Acquire(const std::string& key, int per_minute, Clock::time_point now) {
  if (per_minute <= 0) return 0;
  const double capacity = per_minute;
  const double rate = per_minute / 60.0;  // tokens per second
  std::lock_guard lock(mu_);
  if (buckets_.size() >= kMaxBuckets) {
    // Drop buckets that would be full by now: forgetting them changes nothing.
    std::erase_if(buckets_, [&](const auto& kv) {
      double secs = std::chrono::duration<double>(now - kv.second.last).count();
      return kv.second.tokens + secs * rate >= capacity;
    });
  }
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{capacity, now});
  Bucket& b = it->second;
  if (!inserted) {
    double secs = std::chrono::duration<double>(now - b.last).count();
    b.tokens = std::min(capacity, b.tokens + std::max(0.0, secs) * rate);
    b.last = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate)));
}

}  // namespace leakproof::proxy
