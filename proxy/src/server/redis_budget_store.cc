// Shared token buckets in Redis (see redis_budget_store.h).
#include "leakproof/proxy/redis_budget_store.h"

#include "runtime.h"

#include <chrono>
#include <cstring>
#include <hiredis/hiredis.h>

namespace leakproof::proxy {
namespace {

using Clock = std::chrono::steady_clock;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

timeval Millis(int ms) {
  timeval tv{};
  tv.tv_sec = ms / 1000;
  tv.tv_usec = static_cast<suseconds_t>((ms % 1000) * 1000);
  return tv;
}

// Frees a hiredis reply on scope exit.
struct Reply {
  explicit Reply(void* reply) : r(static_cast<redisReply*>(reply)) {}
  ~Reply() {
    if (r != nullptr) freeReplyObject(r);
  }
  Reply(const Reply&) = delete;
  Reply& operator=(const Reply&) = delete;
  redisReply* r;
};

std::string ContextError(const redisContext* c) {
  return c->errstr[0] != '\0' ? std::string(c->errstr) : std::string("connection error");
}

// A token bucket refilled continuously at cap/60 s, like RateLimiter. KEYS[1] is the
// bucket, ARGV[1] its capacity per minute. Returns 0 when a token was taken, else the
// seconds until one is available (the Retry-After value).
constexpr const char* kScript = R"lua(
local cap = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = cap / 60000
local b = redis.call('HMGET', KEYS[1], 't', 'n')
local last = tonumber(b[1])
local tokens = tonumber(b[2])
if last == nil or tokens == nil then
  last = now
  tokens = cap
end
if now > last then
  tokens = math.min(cap, tokens + (now - last) * rate)
  last = now
end
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.max(1, math.ceil((1 - tokens) / rate / 1000))
end
redis.call('HSET', KEYS[1], 't', last, 'n', tokens)
redis.call('PEXPIRE', KEYS[1], 61000)
return wait
)lua";

}  // namespace

const char* RedisBudgetStore::Script() { return kScript; }

RedisBudgetStore::RedisBudgetStore(const BudgetStoreConfig& cfg, int pool_size)
    : cfg_(cfg), pool_size_(static_cast<size_t>(pool_size > 0 ? pool_size : 1)) {}

RedisBudgetStore::~RedisBudgetStore() {
  for (redisContext* c : idle_) redisFree(c);
}

std::string RedisBudgetStore::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

bool RedisBudgetStore::InBackoff() const { return NowNs() < down_until_ns_.load(); }

void RedisBudgetStore::Failed(const std::string& error, bool unreachable) {
  ++errors_;
  // One slow command (a descheduled thread, a GC-like pause in Redis) fails only its own
  // request; Redis unreachable, or kMaxConsecutiveErrors in a row, starts the back-off.
  if (unreachable || ++consecutive_errors_ >= kMaxConsecutiveErrors) {
    down_until_ns_ = NowNs() + int64_t{cfg_.retry_after_ms} * 1000000;
  }
  std::lock_guard lock(mu_);
  last_error_ = error;
}

redisContext* RedisBudgetStore::Connect(std::string& error) {
  redisContext* c = redisConnectWithTimeout(cfg_.redis_host.c_str(), cfg_.redis_port,
                                            Millis(cfg_.connect_timeout_ms));
  if (c == nullptr) {
    error = "cannot allocate a Redis context";
    return nullptr;
  }
  if (c->err != 0) {
    error = "connect " + address() + ": " + ContextError(c);
    redisFree(c);
    return nullptr;
  }
  redisSetTimeout(c, Millis(cfg_.command_timeout_ms));
  if (cfg_.redis_db != 0) {
    Reply sel(redisCommand(c, "SELECT %d", cfg_.redis_db));
    if (sel.r == nullptr || sel.r->type == REDIS_REPLY_ERROR) {
      error = "SELECT " + std::to_string(cfg_.redis_db) + ": " +
              (sel.r != nullptr ? std::string(sel.r->str, sel.r->len) : ContextError(c));
      redisFree(c);
      return nullptr;
    }
  }
  if (!LoadScript(c, error)) {
    redisFree(c);
    return nullptr;
  }
  return c;
}

bool RedisBudgetStore::LoadScript(redisContext* c, std::string& error) {
  Reply r(redisCommand(c, "SCRIPT LOAD %s", kScript));
  if (r.r == nullptr || r.r->type != REDIS_REPLY_STRING) {
    error = "SCRIPT LOAD: " + (r.r != nullptr && r.r->type == REDIS_REPLY_ERROR
                                   ? std::string(r.r->str, r.r->len)
                                   : ContextError(c));
    return false;
  }
  std::lock_guard lock(mu_);
  script_sha_.assign(r.r->str, r.r->len);
  return true;
}

redisContext* RedisBudgetStore::Take(std::string& error) {
  {
    std::unique_lock lock(mu_);
    // Every I/O thread holds at most one connection at a time, so with pool_size >= threads
    // this never waits; a smaller pool waits at most one command timeout.
    if (idle_.empty() && open_ >= pool_size_) {
      cv_.wait_for(lock, std::chrono::milliseconds(cfg_.command_timeout_ms),
                   [&] { return !idle_.empty() || open_ < pool_size_; });
    }
    if (!idle_.empty()) {
      redisContext* c = idle_.back();
      idle_.pop_back();
      return c;
    }
    if (open_ >= pool_size_) {
      error = "connection pool exhausted";
      return nullptr;
    }
    ++open_;  // reserve the slot, connect outside the lock
  }
  redisContext* c = Connect(error);
  if (c == nullptr) {
    Give(nullptr, false);
    Failed(error, true);  // back off (an exhausted pool above is not a failure)
  }
  return c;
}

void RedisBudgetStore::Give(redisContext* c, bool healthy) {
  {
    std::lock_guard lock(mu_);
    if (c != nullptr && healthy) {
      idle_.push_back(c);
    } else {
      --open_;
    }
  }
  // A connection that failed mid-command may hold a half-read reply: never reuse it.
  if (c != nullptr && !healthy) redisFree(c);
  cv_.notify_one();
}

BudgetDecision RedisBudgetStore::Acquire(const std::string& key, int per_minute) {
  if (per_minute <= 0) return {};
  if (InBackoff()) return {BudgetDecision::Kind::kStoreError, 1};
  std::string error;
  redisContext* c = Take(error);
  if (c == nullptr) return {BudgetDecision::Kind::kStoreError, 1};
  const std::string bucket = cfg_.key_prefix + HashId(key);
  const std::string cap = std::to_string(per_minute);
  std::string sha;
  {
    std::lock_guard lock(mu_);
    sha = script_sha_;
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    Reply r(redisCommand(c, "EVALSHA %s 1 %b %b", sha.c_str(), bucket.data(), bucket.size(),
                         cap.data(), cap.size()));
    if (r.r == nullptr) {
      error = "EVALSHA: " + ContextError(c);
      break;
    }
    if (r.r->type == REDIS_REPLY_INTEGER) {
      Give(c, true);
      consecutive_errors_ = 0;
      const long long wait = r.r->integer;
      if (wait <= 0) return {};
      return {BudgetDecision::Kind::kLimited, static_cast<int>(std::min(wait, 3600LL))};
    }
    const std::string msg =
        r.r->type == REDIS_REPLY_ERROR ? std::string(r.r->str, r.r->len) : "unexpected reply type";
    // The script cache was flushed (SCRIPT FLUSH, a restart behind a proxy, a failover):
    // load it again and retry once.
    if (attempt == 0 && msg.starts_with("NOSCRIPT")) {
      if (!LoadScript(c, error)) break;
      std::lock_guard lock(mu_);
      sha = script_sha_;
      continue;
    }
    error = "EVALSHA: " + msg;
    break;
  }
  Give(c, false);
  Failed(error, false);
  return {BudgetDecision::Kind::kStoreError, 1};
}

bool RedisBudgetStore::Ping() {
  if (InBackoff()) return false;
  std::string error;
  redisContext* c = Take(error);
  if (c == nullptr) return false;
  Reply r(redisCommand(c, "PING"));
  const bool ok = r.r != nullptr && r.r->type == REDIS_REPLY_STATUS;
  if (!ok) error = "PING: " + (r.r == nullptr ? ContextError(c) : std::string("bad reply"));
  Give(c, ok);
  if (ok) consecutive_errors_ = 0;
  if (!ok) Failed(error, false);
  return ok;
}

}  // namespace leakproof::proxy
