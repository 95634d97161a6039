// Scanner facade: scan paths (files, directories, "-" for stdin) with a rule set.
//
//   auto rules = LoadBuiltinRules();
//   auto engine = Engine::Create(*rules);       // compiles the Hyperscan database once
//   ScanOptions opts; opts.paths = {"app.apk"};
//   ScanResult r = Scan(**engine, opts, progress);
//
// Thread-safety: an Engine is immutable and shared by all worker threads; Scan() runs
// its own worker pool (ScanOptions::threads).
#pragma once

#include "leakproof/scanner/diagnostic.h"
#include "leakproof/scanner/extract_limits.h"
#include "leakproof/scanner/finding.h"
#include "leakproof/scanner/rule.h"
#include "leakproof/scanner/status.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace leakproof::scanner {

class Engine;  // compiled rules: defined in engine.h

struct ScanOptions {
  std::vector<std::string> paths;     // files, directories, or "-" for stdin
  std::vector<std::string> excludes;  // glob patterns matched against relative paths
  int threads = 0;                    // 0: number of cores
  bool follow_symlinks = false;       // Default: false (a link loop cannot hang us)
  bool use_ignore_file = true;        // read .leakproofignore in each scanned root
  bool suppress_placeholders = true;  // drop EXAMPLE / xxxx / your_api_key values
  std::vector<std::string> baseline;  // fingerprints of accepted findings
  ExtractLimits limits;
  std::uint64_t chunk_bytes = 256ull << 20;  // hs_scan window; tests shrink it
  std::size_t max_findings = 100000;         // stop reporting beyond this (diagnostic)
  // Where the secret_hash key is kept (LoadSecretHashKey): "" default, "-" none.
  std::string cache_dir;
};

struct ScanStats {
  std::uint64_t bytes = 0;  // bytes of top-level inputs read
  // Bytes run through the pattern engine: inputs and extracted children, but not what
  // children replace (a zip's compressed bytes, a source map's escaped sources).
  std::uint64_t scanned_bytes = 0;
  std::uint64_t files = 0;       // top-level inputs scanned
  std::uint64_t blobs = 0;       // blobs scanned including extracted children
  std::uint64_t suppressed = 0;  // matches dropped by filters (placeholder, allow, baseline)
  double seconds = 0.0;
};

struct ScanResult {
  std::vector<Finding> findings;
  std::vector<Diagnostic> diagnostics;
  ScanStats stats;
  // True when an input named on the command line could not be scanned at all.
  bool input_error = false;
  // Where the key behind Finding::secret_hash came from: "env", "installation" or "run".
  std::string secret_hash_key = "run";
};

// Called from worker threads as each top-level input finishes; must be thread-safe.
struct ScanObserver {
  std::function<void(const std::vector<Finding>&, const std::vector<Diagnostic>&)> on_file;
  std::function<void(std::uint64_t files, std::uint64_t bytes)> on_progress;
};

ScanResult Scan(const Engine& engine, const ScanOptions& options,
                const ScanObserver& observer = {});

}  // namespace leakproof::scanner
