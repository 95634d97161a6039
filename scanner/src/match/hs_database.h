// RAII compile of all rules into one Hyperscan block-mode database, with fallbacks.
//
// Each rule is compiled as a full regex (exact stage 1). A rule Hyperscan rejects is
// retried with HS_FLAG_PREFILTER (a superset of matches, confirmed by RE2); a rule it
// rejects even then is left out of the database and confirmed by RE2 on whole blobs.
// Never HS_FLAG_SOM_LEFTMOST: it cannot combine with prefiltering and RE2 finds the
// start anyway.
#pragma once

#include "leakproof/scanner/status.h"

#include <hs/hs.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace leakproof::scanner {

// A database is either Hyperscan's (compiled: hs_free_database) or deserialized from the
// cache into our own anonymous mapping (`mapped_bytes` long: munmap).
struct HsDatabaseDeleter {
  std::size_t mapped_bytes = 0;
  void operator()(hs_database_t* db) const;
};
struct HsScratchDeleter {
  void operator()(hs_scratch_t* s) const { hs_free_scratch(s); }
};
using HsDatabasePtr = std::unique_ptr<hs_database_t, HsDatabaseDeleter>;
using HsScratchPtr = std::unique_ptr<hs_scratch_t, HsScratchDeleter>;

enum class HsMode { kExact, kPrefilter, kExcluded };

struct HsPattern {
  std::string regex;
  HsMode mode = HsMode::kExact;
  std::string error;            // why it is not exact
  std::uint64_t max_width = 0;  // UINT64_MAX when unbounded or unknown
};

// Decides each pattern's mode (hs_expression_info per pattern, cheap) and compiles the
// database; the pattern's index is its Hyperscan id. `cache_dir` ("" = none) holds
// serialized databases keyed by a hash of the patterns, modes and Hyperscan version.
Result<HsDatabasePtr> BuildHsDatabase(std::vector<HsPattern>& patterns,
                                      const std::string& cache_dir);

}  // namespace leakproof::scanner
