// The --verify step in a proxy build (verify_flags.h): runs leakproof::proxy::VerifyFindings.
#include "leakproof/proxy/verify.h"

#include "verify_flags.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace leakproof::cli {
namespace {

int TtlSeconds(const std::string& t) {
  const long n = std::stol(t.substr(0, t.size() - 1));
  const long unit = t.back() == 'd' ? 86400 : t.back() == 'h' ? 3600 : t.back() == 'm' ? 60 : 1;
  return static_cast<int>(std::min<long>(n * unit, 365L * 86400));
}

}  // namespace

bool RunVerifyStep(const VerifyFlags& f, scanner::ScanResult& result, const scanner::RuleSet& rules,
                   const std::string& cache_dir, bool progress) {
  if (!f.verify && !f.dry_run) return true;
  for (const std::string& id : f.allow) {
    if (rules.FindProvider(id) == nullptr) {
      std::fprintf(stderr, "leakproof scan: --verify-allow: no provider '%s' in the rule pack\n",
                   id.c_str());
      return false;
    }
  }
  proxy::VerifyOptions o;
  o.allow = f.allow;
  o.dry_run = f.dry_run;
  o.concurrency_per_provider = f.concurrency;
  o.rate_per_provider = f.rate;
  o.request_timeout_ms = static_cast<int>(f.timeout_s * 1000);
  o.total_timeout_ms = static_cast<int>(f.total_timeout_s * 1000);
  o.max_retries = f.retries;
  o.cache_dir = f.no_cache ? "-" : cache_dir;
  o.cache_ttl_seconds = TtlSeconds(f.cache_ttl);
  bool progress_shown = false;
  if (progress) {
    o.on_progress = [&](std::size_t done, std::size_t total) {
      progress_shown = true;
      std::fprintf(stderr, "\r\033[Kverifying: %zu/%zu keys", done, total);
    };
  }
  o.on_dry_run = [](const std::string& line) {
    std::fprintf(stderr, "leakproof scan: would send %s\n", line.c_str());
  };
  o.on_notice = [](const std::string& line) {
    std::fprintf(stderr, "leakproof scan: verify: %s\n", line.c_str());
  };
  auto summary = proxy::VerifyFindings(result.findings, rules, o);
  if (progress_shown) std::fprintf(stderr, "\r\033[K");
  if (!summary.ok()) {
    std::fprintf(stderr, "leakproof scan: --verify: %s\n", summary.status().message().c_str());
    return false;
  }
  if (f.verify) {
    std::fprintf(stderr,
                 "leakproof scan: verify: %zu distinct keys, %zu live; %zu requests sent, %zu "
                 "answers from cache\n",
                 summary->distinct, summary->live, summary->requests, summary->from_cache);
  }
  if (f.only_verified) {
    std::erase_if(result.findings, [](const scanner::Finding& x) {
      return x.verification.state != scanner::Verification::State::kLive;
    });
  }
  return true;
}

}  // namespace leakproof::cli
