// Scan(): one enumerator thread -> bounded queue -> N workers, each with its own
// BlobScanner (Hyperscan scratch, buffers); results merged under one mutex. Workers
// also share the members of large archives (ScanScheduler), so one big APK keeps
// every core busy. ScanInputs() is that pipeline with the enumerator left open: the
// file walker for Scan(), the commit walk for ScanGit().
#include "leakproof/scanner/scanner.h"
#include "leakproof/scanner/secret_hash.h"

#include "scan/blob_scanner.h"
#include "scan/diagnostic_list.h"
#include "scan/input_reader.h"
#include "scan/scan_inputs.h"
#include "scan/scan_scheduler.h"
#include "scan/shard.h"
#include "scan/stdin_scan.h"
#include "scan/walker.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

namespace leakproof::scanner {
namespace {

constexpr std::string_view kTotalFindingsMessage =
    "more than --max-findings findings in total: the rest were not reported and remaining "
    "inputs were not scanned";

// Appends one input's findings to the result: drops baselined ones (the last filter,
// after every de-duplication), then enforces --max-findings over the whole run.
// Caller holds the result mutex.
class FindingMerger {
 public:
  FindingMerger(const ScanOptions& options, ScanResult& result)
      : options_(options), result_(result) {
    for (std::size_t i = 0; i < options.baseline.size(); ++i) {
      baseline_.emplace(options.baseline[i].fingerprint, i);
    }
    matched_.assign(options.baseline.size(), false);
  }

  void Add(std::vector<Finding>& findings) {
    for (Finding& f : findings) {
      if (auto it = baseline_.find(f.fingerprint); it != baseline_.end()) {
        matched_[it->second] = true;
        ++result_.stats.baselined;
        continue;
      }
      if (result_.findings.size() >= options_.max_findings) {
        ReportFull();  // and go on: later findings may still match baseline entries
        continue;
      }
      result_.findings.push_back(std::move(f));
    }
  }

  // True once the report holds --max-findings findings: later inputs are not scanned.
  bool full() const { return result_.findings.size() >= options_.max_findings; }
  // An input left unscanned because the report was full: coverage lost, said once.
  void Skipped() { ReportFull(); }

  void Finish() {
    BaselineOutcome& b = result_.baseline;
    b.used = !options_.baseline.empty();
    b.entries = options_.baseline.size();
    for (std::size_t i = 0; i < matched_.size(); ++i) {
      if (matched_[i]) {
        ++b.matched;
      } else if (baseline_.at(options_.baseline[i].fingerprint) == i) {  // once per print
        b.stale.push_back(options_.baseline[i]);
      }
    }
  }

 private:
  void ReportFull() {
    if (std::exchange(reported_, true)) return;
    result_.diagnostics.push_back({DiagnosticLevel::kWarning, StatusCode::kLimitExceeded, "(scan)",
                                   std::string(kTotalFindingsMessage)});
  }

  const ScanOptions& options_;
  ScanResult& result_;
  std::unordered_map<std::string, std::size_t> baseline_;  // fingerprint -> first entry
  std::vector<bool> matched_;
  bool reported_ = false;
};

}  // namespace

ScanResult ScanInputs(const Engine& engine, const ScanOptions& options,
                      const ScanObserver& observer, const InputProducer& produce) {
  const auto started = std::chrono::steady_clock::now();
  ScanResult result;
  std::mutex mu;  // guards result and merger
  FindingMerger merger(options, result);
  std::atomic<bool> full{false};  // merger.full(), readable without the mutex
  const SecretHashKey hash_key = LoadSecretHashKey(options.cache_dir);
  result.secret_hash_key = hash_key.source;

  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ScanScheduler scheduler(static_cast<std::size_t>(threads) * 32);
  std::atomic<std::uint64_t> files{0};
  std::atomic<std::uint64_t> bytes{0};

  auto worker = [&] {
    // With one thread there is nobody to share members with: scan them in place.
    BlobScanner scanner(engine, options, threads > 1 ? &scheduler : nullptr);
    InputReader reader(options.limits.max_file_bytes);
    while (auto item = scheduler.NextFile(scanner)) {
      FileResult fr;
      // Once the report is full, the rest is not read (one --max-findings warning).
      if (full.load()) {
        scheduler.FileDone();
        std::lock_guard<std::mutex> lock(mu);
        merger.Skipped();
        continue;
      }
      if (item->is_stdin) {
        bytes += ScanStdinStream(scanner, engine, options, fr);  // in windows: see stdin_scan.h
      } else if (auto blob = item->load ? item->load() : reader.Read(item->path, item->display);
                 !blob.ok()) {
        fr.diagnostics.push_back({blob.status().code() == StatusCode::kLimitExceeded
                                      ? DiagnosticLevel::kWarning
                                      : DiagnosticLevel::kError,
                                  blob.status().code(), item->display, blob.status().message()});
      } else {
        bytes += blob->size();
        scanner.ScanTopLevel(*blob, fr);
      }
      for (Finding& f : fr.findings) {
        f.secret_hash = SecretHash(hash_key, f.secret);
        f.location.commit = item->commit;
      }
      if (item->commit) {  // "abc1234:path!member": which commit's blob it was
        for (Diagnostic& d : fr.diagnostics) {
          d.location = item->commit->id.substr(0, 7) + ":" + d.location;
        }
      }
      scheduler.FileDone();
      const std::uint64_t done = ++files;
      if (observer.on_file) observer.on_file(fr.findings, fr.diagnostics);
      if (observer.on_progress) observer.on_progress(done, bytes.load());
      std::lock_guard<std::mutex> lock(mu);
      result.stats.blobs += fr.blobs;
      result.stats.scanned_bytes += fr.scanned_bytes;
      result.stats.suppressed += fr.suppressed;
      merger.Add(fr.findings);
      if (merger.full()) full = true;
      for (auto& d : fr.diagnostics) {
        if (d.level == DiagnosticLevel::kError && item->display == d.location &&
            std::find(options.paths.begin(), options.paths.end(), item->display) !=
                options.paths.end()) {
          result.input_error = true;  // an input the user named could not be read at all
        }
        result.diagnostics.push_back(std::move(d));
      }
    }
  };

  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) pool.emplace_back(worker);

  // The enumerator's own diagnostics, aggregated by kind (a million broken links: one line).
  std::vector<Diagnostic> walk_diagnostics;
  const bool walked_ok =
      produce([&](WalkItem item) { return scheduler.PushFile(std::move(item)); },
              [&](Diagnostic d) { AddDiagnostic(walk_diagnostics, std::move(d)); });
  scheduler.CloseFiles();
  for (auto& t : pool) t.join();
  for (auto& d : walk_diagnostics) result.diagnostics.push_back(std::move(d));

  merger.Finish();
  if (!walked_ok) result.input_error = true;
  result.stats.files = files.load();
  result.stats.bytes = bytes.load();
  result.stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

ScanResult Scan(const Engine& engine, const ScanOptions& options, const ScanObserver& observer) {
  WalkOptions wo;
  wo.excludes = options.excludes;
  wo.follow_symlinks = options.follow_symlinks;
  wo.use_ignore_file = options.use_ignore_file;
  if (options.shard.count <= 1) {
    return ScanInputs(engine, options, observer,
                      [&](const PushInput& push, const DiagnoseInput& diagnose) {
                        return Walk(options.paths, wo, push, diagnose);
                      });
  }
  return ScanInputs(engine, options, observer,
                    [&](const PushInput& push, const DiagnoseInput& diagnose) {
                      // The whole walk first: a shard's share depends on every file (shard.h).
                      // Shard 0 alone reports the walk's diagnostics, so a merge of the shards has
                      // each once.
                      std::vector<ShardInput> all;
                      const bool walked_ok = Walk(
                          options.paths, wo,
                          [&](WalkItem item) {
                            const std::uint64_t size = ShardInputSize(item);
                            all.push_back({std::move(item), size});
                            return true;
                          },
                          [&](Diagnostic d) {
                            if (options.shard.index == 0) diagnose(std::move(d));
                          });
                      for (WalkItem& item : SelectShard(std::move(all), options.shard)) {
                        if (!push(std::move(item))) break;
                      }
                      return walked_ok;
                    });
}

}  // namespace leakproof::scanner
