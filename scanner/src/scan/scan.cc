// Scan(): one enumerator thread -> bounded queue -> N workers, each with its own
// BlobScanner (Hyperscan scratch, buffers); results merged under one mutex. Workers
// also share the members of large archives (ScanScheduler), so one big APK keeps
// every core busy.
#include "leakproof/scanner/scanner.h"

#include "scan/blob_scanner.h"
#include "scan/diagnostic_list.h"
#include "scan/input_reader.h"
#include "scan/scan_scheduler.h"
#include "scan/stdin_scan.h"
#include "scan/walker.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_set>

namespace leakproof::scanner {

ScanResult Scan(const Engine& engine, const ScanOptions& options, const ScanObserver& observer) {
  const auto started = std::chrono::steady_clock::now();
  ScanResult result;
  std::mutex mu;  // guards result
  const std::unordered_set<std::string> baseline(options.baseline.begin(), options.baseline.end());

  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ScanScheduler scheduler(static_cast<std::size_t>(threads) * 32);
  std::atomic<std::uint64_t> files{0};
  std::atomic<std::uint64_t> bytes{0};

  auto worker = [&] {
    // With one thread there is nobody to share members with: scan them in place.
    BlobScanner scanner(engine, options, baseline, threads > 1 ? &scheduler : nullptr);
    InputReader reader(options.limits.max_file_bytes);
    while (auto item = scheduler.NextFile(scanner)) {
      FileResult fr;
      if (item->is_stdin) {
        bytes += ScanStdinStream(scanner, engine, options, fr);  // in windows: see stdin_scan.h
      } else if (auto blob = reader.Read(item->path, item->display); !blob.ok()) {
        fr.diagnostics.push_back({blob.status().code() == StatusCode::kLimitExceeded
                                      ? DiagnosticLevel::kWarning
                                      : DiagnosticLevel::kError,
                                  blob.status().code(), item->display, blob.status().message()});
      } else {
        bytes += blob->size();
        scanner.ScanTopLevel(*blob, fr);
      }
      scheduler.FileDone();
      const std::uint64_t done = ++files;
      if (observer.on_file) observer.on_file(fr.findings, fr.diagnostics);
      if (observer.on_progress) observer.on_progress(done, bytes.load());
      std::lock_guard<std::mutex> lock(mu);
      result.stats.blobs += fr.blobs;
      result.stats.scanned_bytes += fr.scanned_bytes;
      result.stats.suppressed += fr.suppressed;
      for (auto& f : fr.findings) result.findings.push_back(std::move(f));
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

  WalkOptions wo;
  wo.excludes = options.excludes;
  wo.follow_symlinks = options.follow_symlinks;
  wo.use_ignore_file = options.use_ignore_file;
  // The walker's own diagnostics, aggregated by kind (a million broken links: one line).
  std::vector<Diagnostic> walk_diagnostics;
  const bool walked_ok = Walk(
      options.paths, wo, [&](WalkItem item) { return scheduler.PushFile(std::move(item)); },
      [&](Diagnostic d) { AddDiagnostic(walk_diagnostics, std::move(d)); });
  scheduler.CloseFiles();
  for (auto& t : pool) t.join();
  for (auto& d : walk_diagnostics) result.diagnostics.push_back(std::move(d));

  if (!walked_ok) result.input_error = true;
  result.stats.files = files.load();
  result.stats.bytes = bytes.load();
  result.stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace leakproof::scanner
