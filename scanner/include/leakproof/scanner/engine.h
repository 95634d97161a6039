// Engine: the compiled rule set — one Hyperscan database of every rule (stage 1) and
// one RE2 per rule (stage 2) — plus the per-blob matching contract.
//
// Contract: stage 1 may over-report, never under-report; a stage-1 hit that RE2 does
// not confirm is normal (prefilter mode), not an error. Overlapping duplicates of one
// rule are dropped.
//
// Thread-safety: immutable after Create(); share one Engine between threads. Each
// thread scans with its own MatchScratch.
#pragma once

#include "leakproof/scanner/finding.h"
#include "leakproof/scanner/rule.h"
#include "leakproof/scanner/status.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::scanner {

class Blob;

struct EngineOptions {
  // Directory for the serialized Hyperscan database keyed by rule-set hash, so start-up
  // stays fast as the pack grows. Empty: $XDG_CACHE_HOME/leakproof or ~/.cache/leakproof;
  // "-": no cache.
  std::string cache_dir;
  // Confirm with relaxed counted repeats (see match/relaxed_repeats.h) and fall back to
  // the exact regex only when a length bound fails. Off: the exact regex always (tests
  // compare the two).
  bool relax_repeats = true;
};

// A rule Hyperscan could not compile even in prefilter mode; it is still confirmed by
// RE2 on whole blobs, so it is slower but never silently dropped.
struct RuleCompileProblem {
  std::string rule_id;
  std::string message;
  bool prefilter = false;  // true: compiled with HS_FLAG_PREFILTER (approximate stage 1)
  bool unusable = false;   // true: neither engine accepts it; the rule is disabled
};

class MatchScratch;  // per-thread Hyperscan scratch and hit buffers

// One confirmed match inside a blob before filters.
struct RawMatch {
  std::size_t rule_index = 0;
  std::uint64_t start = 0;  // of the whole regex match
  std::uint64_t end = 0;
  std::uint64_t secret_start = 0;  // of the secret capture group
  std::uint64_t secret_end = 0;
};

class Engine {
 public:
  static Result<std::unique_ptr<Engine>> Create(RuleSet rules, const EngineOptions& options = {});
  ~Engine();
  Engine(const Engine&) = delete;  // owns the compiled database; share by pointer
  Engine& operator=(const Engine&) = delete;

  const RuleSet& rules() const;
  const std::vector<RuleCompileProblem>& problems() const;
  // Largest span a rule match may cover (chunk overlap).
  std::uint64_t max_span() const;

  std::unique_ptr<MatchScratch> NewScratch() const;

  // Stage 1 + stage 2 on `bytes` (scanned in windows of `chunk_bytes` with max_span
  // overlap). Appends confirmed matches sorted by position, duplicates removed.
  Status Match(std::string_view bytes, MatchScratch& scratch, std::vector<RawMatch>& out,
               std::uint64_t chunk_bytes = 256ull << 20) const;

  // Stage 1 only: the rule indexes Hyperscan reports on `bytes` (tests prove stage 1
  // never misses what RE2 alone finds).
  Status Stage1Rules(std::string_view bytes, MatchScratch& scratch,
                     std::vector<std::size_t>& rule_indexes) const;
  // Compiles every rule's RE2 now (normally built-in rules compile on first use) and
  // checks each; `rules check` and tests call it.
  Status CompileAll() const;

  // RE2 alone on the whole input for one rule (reference for the above).
  std::vector<RawMatch> MatchWithRe2Only(std::string_view bytes, std::size_t rule_index) const;

  struct Impl;

 private:
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Scratch owned by one thread at a time.
class MatchScratch {
 public:
  virtual ~MatchScratch() = default;
};

}  // namespace leakproof::scanner
