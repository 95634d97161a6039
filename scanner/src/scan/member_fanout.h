// MemberFanOut: the members of one archive, scanned by whichever workers are free
// (ScanScheduler), with their results put back in archive order.
//
// The archive's extractor emits members one by one (largest first, see
// ExtractContext::members_largest_first), made or still to inflate; each becomes a
// task with its own result slot. Diagnostics the extractor reports go to the slot of
// the member handed out next, so each stays next to the member it concerns. Finish()
// waits for every member and returns the slots sorted by member index: the report is
// the same, finding for finding, whichever worker scanned what.
#pragma once

#include "leakproof/scanner/diagnostic.h"

#include "scan/blob_scanner.h"
#include "scan/scan_scheduler.h"

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

namespace leakproof::scanner {

class MemberFanOut {
 public:
  // Scans one member into `out` on `scanner`; `group` is this fan-out's, for archives
  // nested in the member. Destroyed as soon as it has run: it may own the member.
  using Work =
      std::function<void(BlobScanner& scanner, const ScanScheduler::Group& group, FileResult& out)>;

  // `self` is the scanner of the worker that runs the extractor; `parent` the group of
  // the member holding this archive (null for a top-level input).
  MemberFanOut(ScanScheduler& scheduler, BlobScanner& self, const ScanScheduler::Group* parent);
  ~MemberFanOut();  // waits for members still running (only on an early exit)
  MemberFanOut(const MemberFanOut&) = delete;
  MemberFanOut& operator=(const MemberFanOut&) = delete;

  // A diagnostic of the extractor itself, kept in order with the members.
  void AddDiagnostic(Diagnostic d);
  // Hands out member `index`, whose work holds `bytes` bytes until it runs.
  void Submit(std::uint64_t index, std::uint64_t bytes, Work work);
  // Findings of the members scanned so far (for --max-findings).
  std::size_t findings_so_far() const { return findings_.load(std::memory_order_relaxed); }
  // Waits for every member, running queued ones on this worker, and returns one
  // result per member in archive order, then one with the trailing diagnostics.
  std::vector<FileResult> Finish();

 private:
  struct Slot {
    std::uint64_t index = 0;
    Work work;
    FileResult result;
  };

  ScanScheduler& scheduler_;
  BlobScanner& self_;
  ScanScheduler::Group group_;
  std::deque<Slot> slots_;  // stable addresses: tasks hold pointers into it
  std::vector<Diagnostic> pending_;
  std::atomic<std::size_t> findings_{0};
  bool finished_ = false;
};

}  // namespace leakproof::scanner
