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

#include "leakproof/scanner/baseline.h"
#include "leakproof/scanner/diagnostic.h"
#include "leakproof/scanner/extract_limits.h"
#include "leakproof/scanner/finding.h"
#include "leakproof/scanner/rule.h"
#include "leakproof/scanner/status.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace leakproof::scanner {

class Engine;  // compiled rules: defined in engine.h

// `scan --shard K/N`: scan only share `index` (0-based, like a Kubernetes Indexed Job's
// $JOB_COMPLETION_INDEX) of `count`. The N shares of the same inputs are disjoint and
// together hold every file (scan/shard.h says how they are chosen).
struct ShardSpec {
  std::uint32_t index = 0;
  std::uint32_t count = 1;  // Default: 1 (no sharding)
};

struct ScanOptions {
  std::vector<std::string> paths;     // files, directories, or "-" for stdin
  std::vector<std::string> excludes;  // glob patterns matched against relative paths
  int threads = 0;                    // 0: number of cores
  bool follow_symlinks = false;       // Default: false (a link loop cannot hang us)
  bool use_ignore_file = true;        // read .leakproofignore in each scanned root
  bool suppress_placeholders = true;  // drop EXAMPLE / xxxx / your_api_key values
  // Accepted findings, matched on Finding::fingerprint after every other filter and
  // de-duplication (so a baselined key never un-hides the generic match it covered).
  std::vector<BaselineEntry> baseline;
  ExtractLimits limits;
  std::uint64_t chunk_bytes = 256ull << 20;  // hs_scan window; tests shrink it
  // Most findings in the whole result (baselined ones not counted in the report, but
  // counted while an input is scanned). Reaching it is a limit_exceeded warning: the
  // scan is then incomplete. Default: 100000.
  std::size_t max_findings = 100000;
  // Where the secret_hash key is kept (LoadSecretHashKey): "" default, "-" none.
  std::string cache_dir;
  // With count > 1 every input is walked first and only this shard's files are scanned;
  // the walk's own diagnostics (unreadable directory, broken link) are shard 0's, so a
  // merge of all shards has each once.
  ShardSpec shard;
};

struct ScanStats {
  std::uint64_t bytes = 0;  // bytes of top-level inputs read
  // Bytes run through the pattern engine: inputs and extracted children, but not what
  // children replace (a zip's compressed bytes, a source map's escaped sources).
  std::uint64_t scanned_bytes = 0;
  std::uint64_t files = 0;       // top-level inputs scanned
  std::uint64_t blobs = 0;       // blobs scanned including extracted children
  std::uint64_t suppressed = 0;  // matches dropped by filters (placeholder, allow comment)
  std::uint64_t baselined = 0;   // findings hidden by the baseline
  double seconds = 0.0;
};

// How the baseline fared: entries that matched nothing are "stale" (the key was
// removed, moved, or its input was not scanned this time). Reported, never an error.
struct BaselineOutcome {
  bool used = false;          // a baseline was given
  std::uint64_t entries = 0;  // entries in it
  std::uint64_t matched = 0;  // entries that hid at least one finding
  std::vector<BaselineEntry> stale;
};

// Whether everything given was fully scanned. Defined from the diagnostics: any warning
// or error means some input, member or range was not (fully) scanned (read error, a
// limit, encryption, corruption); info diagnostics never cost coverage.
struct Coverage {
  bool complete = true;
  // Warning/error diagnostics by code name (StatusCodeName: "limit-exceeded": 3).
  std::map<std::string, std::uint64_t> reasons;
  std::uint64_t lost = 0;  // sum of reasons
};

// What a `leakproof git` run walked (ScanResult::git; absent for file scans). The blob
// count is ScanStats::files: each distinct blob is one top-level input, scanned once.
struct GitRunInfo {
  std::string repository_uri;   // remote "origin" URL, "" when there is none
  std::string revision_id;      // HEAD or the range end ("" for --staged on an unborn HEAD)
  std::string branch;           // HEAD's branch name, "" when detached
  bool staged = false;          // the index against HEAD, not commits
  bool shallow = false;         // the walk stopped at a shallow clone's boundary
  std::uint64_t commits = 0;    // commits walked
  std::uint64_t blob_refs = 0;  // blobs added/modified over those commits, before de-duplication
  // Findings dropped because the same key (rule, path, secret) was already reported for
  // an older commit: a later commit that edits another line of the file re-adds it.
  std::uint64_t repeated_findings = 0;
};

struct ScanResult {
  std::vector<Finding> findings;
  std::vector<Diagnostic> diagnostics;
  ScanStats stats;
  // True when an input named on the command line could not be scanned at all.
  bool input_error = false;
  BaselineOutcome baseline;

  // One definition of "complete" for every report format, the exit code and `bff`.
  Coverage Completeness() const;
  // Where the key behind Finding::secret_hash came from: "env", "installation" or "run".
  std::string secret_hash_key = "run";
  std::optional<GitRunInfo> git;  // set by ScanGit() (git_scan.h)
};

// Called from worker threads as each top-level input finishes; must be thread-safe.
// on_file sees the input's findings before the baseline and --max-findings are applied.
struct ScanObserver {
  std::function<void(const std::vector<Finding>&, const std::vector<Diagnostic>&)> on_file;
  std::function<void(std::uint64_t files, std::uint64_t bytes)> on_progress;
};

ScanResult Scan(const Engine& engine, const ScanOptions& options,
                const ScanObserver& observer = {});

}  // namespace leakproof::scanner
