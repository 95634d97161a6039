// Per-provider concurrency cap and start-rate spacing (provider_gate.h).
#include "verify/provider_gate.h"

#include <algorithm>
#include <thread>

namespace leakproof::proxy::verify {

ProviderGate::ProviderGate(int concurrency, double rate_per_second)
    : concurrency_(std::max(1, concurrency)),
      interval_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(rate_per_second > 0 ? 1.0 / rate_per_second : 0.0))) {}

bool ProviderGate::Acquire(const std::string& provider,
                           std::chrono::steady_clock::time_point deadline) {
  std::chrono::steady_clock::time_point start;
  {
    std::unique_lock<std::mutex> lock(mu_);
    State& s = states_[provider];
    if (!cv_.wait_until(lock, deadline, [&] { return s.in_flight < concurrency_; })) return false;
    ++s.in_flight;
    // Reserve the next start slot now, so waiting threads queue up one interval apart.
    start = std::max(std::chrono::steady_clock::now(), s.next_start);
    s.next_start = start + interval_;
  }
  if (start > deadline) {
    Release(provider);
    return false;
  }
  std::this_thread::sleep_until(start);
  return true;
}

void ProviderGate::Release(const std::string& provider) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    --states_[provider].in_flight;
  }
  cv_.notify_all();
}

}  // namespace leakproof::proxy::verify
