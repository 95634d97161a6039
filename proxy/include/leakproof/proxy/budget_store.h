// Where rate-limit budgets live. A route's per-session, per-IP and global budgets are
// token buckets named by a string key; a BudgetStore takes one token from a bucket.
// Two implementations: MemoryBudgetStore (this process only; the default) and
// RedisBudgetStore (shared by every replica pointing at the same Redis, see
// redis_budget_store.h). The caller decides what a store error means (fail open or closed).
#pragma once

#include "leakproof/proxy/rate_limiter.h"

#include <string>

namespace leakproof::proxy {

struct BudgetDecision {
  enum class Kind { kAllowed, kLimited, kStoreError };
  Kind kind = Kind::kAllowed;
  int retry_after = 0;  // seconds (>= 1) when kLimited
};

class BudgetStore {
 public:
  virtual ~BudgetStore() = default;
  // Takes one token from `key`'s bucket of `per_minute` tokens refilled continuously.
  // `key` may contain a hashed session id or a client IP; a store that persists keys
  // outside the process must hash it again (RedisBudgetStore does).
  virtual BudgetDecision Acquire(const std::string& key, int per_minute) = 0;
};

class MemoryBudgetStore final : public BudgetStore {
 public:
  BudgetDecision Acquire(const std::string& key, int per_minute) override {
    const int wait = limiter_.Acquire(key, per_minute);
    if (wait == 0) return {};
    return {BudgetDecision::Kind::kLimited, wait};
  }

 private:
  RateLimiter limiter_;
};

}  // namespace leakproof::proxy
