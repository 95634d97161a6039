// --verify in a scanner-only build (-DLEAKPROOF_BUILD_PROXY=OFF): the HTTP client lives in
// the proxy library, so the flags exist but say they were not built.
#include "verify_flags.h"

#include <cstdio>

namespace leakproof::cli {

bool RunVerifyStep(const VerifyFlags& f, scanner::ScanResult&, const scanner::RuleSet&,
                   const std::string&, bool) {
  if (!f.verify && !f.dry_run) return true;
  std::fprintf(
      stderr,
      "leakproof scan: --verify is not built in this binary (-DLEAKPROOF_BUILD_PROXY=OFF)\n");
  return false;
}

}  // namespace leakproof::cli
