// BlobScanner: one worker's view of the pipeline for one top-level input —
// extractors depth-first, the two-stage match on every blob that needs a raw scan,
// filters, and Finding construction (location, snippet, nearby URLs).
//
// Thread-safety: one BlobScanner per worker thread (it owns Hyperscan scratch). With a
// ScanScheduler, the members of an archive (Extractor::IndependentChildren) are handed
// out to every worker's BlobScanner and their results merged back in member order.
#pragma once

#include "leakproof/scanner/blob.h"
#include "leakproof/scanner/engine.h"
#include "leakproof/scanner/scanner.h"

#include "scan/rule_scope.h"

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace leakproof::scanner {

class ScanScheduler;

struct FileResult {
  std::vector<Finding> findings;
  std::vector<Diagnostic> diagnostics;
  std::uint64_t blobs = 0;
  std::uint64_t scanned_bytes = 0;
  std::uint64_t suppressed = 0;
};

class BlobScanner {
 public:
  // `scheduler`: share archive members with the other workers; null scans them here.
  // The baseline (ScanOptions::baseline) is not applied here but by Scan(), to each
  // input's final findings.
  BlobScanner(const Engine& engine, const ScanOptions& options, ScanScheduler* scheduler = nullptr);

  // Scans `blob` (a top-level input) and everything extracted from it into `out`.
  void ScanTopLevel(const Blob& blob, FileResult& out);

 private:
  class Run;
  const Engine& engine_;
  const ScanOptions& options_;
  ScanScheduler* scheduler_;
  std::unique_ptr<MatchScratch> scratch_;
  std::vector<RawMatch> matches_;
  RuleScope scope_;  // allowlist regexes and path scoping, compiled per worker
};

}  // namespace leakproof::scanner
