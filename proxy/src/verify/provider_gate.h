// Per-provider limits for --verify: at most N requests in flight and request starts spaced
// to a rate, so a report with 100 keys of one provider never floods it (or gets the
// scanning machine's address blocked). Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

namespace leakproof::proxy::verify {

class ProviderGate {
 public:
  ProviderGate(int concurrency, double rate_per_second);

  // Blocks until `provider` has a free slot and its next start time has come, or until
  // `deadline`; false at the deadline (no slot taken).
  bool Acquire(const std::string& provider, std::chrono::steady_clock::time_point deadline);
  void Release(const std::string& provider);

 private:
  struct State {
    int in_flight = 0;
    std::chrono::steady_clock::time_point next_start{};
  };
  const int concurrency_;
  const std::chrono::steady_clock::duration interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, State> states_;
};

}  // namespace leakproof::proxy::verify
