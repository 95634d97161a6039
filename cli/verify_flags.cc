// The --verify flags (verify_flags.h).
#include "verify_flags.h"

namespace leakproof::cli {

void AddVerifyFlags(CLI::App* cmd, VerifyFlags& f) {
  const char* group = "Verification (sends each found key to its own provider; docs/verify.md)";
  cmd->add_flag("--verify", f.verify,
                "Ask each key's provider (host from the rule pack only) whether the key is live")
      ->group(group);
  cmd->add_flag("--dry-run-verify", f.dry_run,
                "Print the requests --verify would send (key redacted) on stderr; send nothing")
      ->group(group);
  cmd->add_flag("--only-verified", f.only_verified, "Report only keys verified live")->group(group);
  cmd->add_option("--verify-allow", f.allow,
                  "Only verify keys of these providers (ids, comma list)")
      ->delimiter(',')
      ->group(group);
  cmd->add_option("--verify-concurrency", f.concurrency, "Requests in flight per provider")
      ->check(CLI::Range(1, 32))
      ->capture_default_str()
      ->group(group);
  cmd->add_option("--verify-rate", f.rate, "Requests started per second per provider")
      ->check(CLI::Range(0.1, 100.0))
      ->capture_default_str()
      ->group(group);
  cmd->add_option("--verify-timeout", f.timeout_s, "Seconds per request")
      ->check(CLI::Range(0.1, 120.0))
      ->capture_default_str()
      ->group(group);
  cmd->add_option("--verify-total-timeout", f.total_timeout_s, "Seconds for all verification")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str()
      ->group(group);
  cmd->add_option("--verify-retries", f.retries, "Retries on 429/5xx (with backoff)")
      ->check(CLI::Range(0, 10))
      ->capture_default_str()
      ->group(group);
  cmd->add_option("--verify-cache-ttl", f.cache_ttl, "How long a cached answer holds: 30m, 24h, 7d")
      ->capture_default_str()
      ->group(group);
  cmd->add_flag("--verify-no-cache", f.no_cache, "Neither read nor write the verify cache")
      ->group(group);
}

std::string CheckVerifyFlags(const VerifyFlags& f, const std::string& fail_on) {
  if (f.only_verified && !f.verify) return "--only-verified needs --verify";
  if (fail_on == "live" && !f.verify) {
    return "--fail-on live needs --verify (without it no key is known to be live)";
  }
  if (f.verify && f.dry_run) return "--verify and --dry-run-verify exclude each other";
  const std::string& t = f.cache_ttl;
  if (t.size() < 2 || t.find_first_not_of("0123456789", 0) != t.size() - 1 ||
      std::string("smhd").find(t.back()) == std::string::npos) {
    return "--verify-cache-ttl must be a number and a unit (s, m, h, d): '" + t + "'";
  }
  return "";
}

}  // namespace leakproof::cli
