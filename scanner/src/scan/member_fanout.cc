// MemberFanOut, see member_fanout.h.
#include "scan/member_fanout.h"

#include "scan/diagnostic_list.h"

#include <algorithm>

namespace leakproof::scanner {

MemberFanOut::MemberFanOut(ScanScheduler& scheduler, BlobScanner& self,
                           const ScanScheduler::Group* parent)
    : scheduler_(scheduler), self_(self), group_(parent) {}

MemberFanOut::~MemberFanOut() {
  if (!finished_) scheduler_.Drain(group_, self_);  // tasks point into slots_
}

void MemberFanOut::AddDiagnostic(Diagnostic d) {
  leakproof::scanner::AddDiagnostic(pending_, std::move(d));
}

void MemberFanOut::Submit(std::uint64_t index, std::uint64_t bytes, Work work) {
  Slot& slot = slots_.emplace_back();
  slot.index = index;
  slot.work = std::move(work);
  slot.result.diagnostics = std::move(pending_);
  pending_.clear();
  scheduler_.Submit(
      group_, bytes,
      [this, &slot](BlobScanner& scanner) {
        const Work run = std::move(slot.work);  // the member is freed once scanned
        run(scanner, group_, slot.result);
        findings_.fetch_add(slot.result.findings.size(), std::memory_order_relaxed);
      },
      self_);
}

std::vector<FileResult> MemberFanOut::Finish() {
  scheduler_.Drain(group_, self_);
  finished_ = true;
  std::stable_sort(slots_.begin(), slots_.end(),
                   [](const Slot& a, const Slot& b) { return a.index < b.index; });
  std::vector<FileResult> out;
  out.reserve(slots_.size() + 1);
  for (Slot& s : slots_) out.push_back(std::move(s.result));
  FileResult tail;
  tail.diagnostics = std::move(pending_);
  out.push_back(std::move(tail));
  slots_.clear();
  return out;
}

}  // namespace leakproof::scanner
