// ByteBudget and ExtractContext: the shared zip-bomb guard and the diagnostic channel.
#include "extract/extractor.h"

namespace leakproof::scanner {

bool ByteBudget::Take(std::uint64_t n) {
  std::uint64_t cur = remaining_.load(std::memory_order_relaxed);
  while (true) {
    if (n > cur) return false;
    if (remaining_.compare_exchange_weak(cur, cur - n, std::memory_order_relaxed)) return true;
  }
}

bool ByteBudget::TakeMember() {
  std::uint64_t cur = members_.load(std::memory_order_relaxed);
  while (true) {
    if (cur == 0) return false;
    if (members_.compare_exchange_weak(cur, cur - 1, std::memory_order_relaxed)) return true;
  }
}

void ExtractContext::Diagnose(const Provenance& where, DiagnosticLevel level, StatusCode code,
                              std::string message) const {
  if (!diagnose_) return;
  diagnose_(Diagnostic{level, code, where.ToString(), std::move(message)});
}

}  // namespace leakproof::scanner
