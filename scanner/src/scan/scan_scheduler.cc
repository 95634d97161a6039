// ScanScheduler, see scan_scheduler.h.
#include "scan/scan_scheduler.h"

namespace leakproof::scanner {

bool ScanScheduler::Group::Within(const Group& ancestor) const {
  for (const Group* g = this; g != nullptr; g = g->parent_) {
    if (g == &ancestor) return true;
  }
  return false;
}

bool ScanScheduler::PushFile(WalkItem item) {
  std::unique_lock<std::mutex> lock(mu_);
  space_.wait(lock, [&] { return closed_ || files_.size() < file_capacity_; });
  if (closed_) return false;
  files_.push_back(std::move(item));
  work_.notify_all();  // notify_one could wake a Drain() that has no use for a file
  return true;
}

void ScanScheduler::CloseFiles() {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  work_.notify_all();
  space_.notify_all();
}

std::optional<WalkItem> ScanScheduler::NextFile(BlobScanner& scanner) {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (!members_.empty()) {
      ++busy_;  // a member may hand out members of its own (a nested archive)
      RunOne(lock, nullptr, scanner);
      --busy_;
      continue;
    }
    if (!files_.empty()) {
      WalkItem item = std::move(files_.front());
      files_.pop_front();
      ++busy_;
      // Wake the walker only once the queue is half empty, so it refills in a burst:
      // a wake-up per file was 20,000 context switches on 33,000 small files.
      if (files_.size() == file_capacity_ / 2) space_.notify_one();
      return item;
    }
    // A busy worker may still hand out members: only stop when nobody is.
    if (closed_ && busy_ == 0) {
      work_.notify_all();
      return std::nullopt;
    }
    work_.wait(lock);
  }
}

void ScanScheduler::FileDone() {
  std::lock_guard<std::mutex> lock(mu_);
  --busy_;
  work_.notify_all();
}

void ScanScheduler::Submit(Group& group, std::uint64_t bytes, Task task, BlobScanner& self) {
  std::unique_lock<std::mutex> lock(mu_);
  while (group.queued_ > 0 &&
         (group.queued_ >= kMaxQueuedMembers || group.queued_bytes_ + bytes > kMaxQueuedBytes)) {
    if (!RunOne(lock, &group, self)) break;
  }
  members_.push_back({&group, bytes, std::move(task)});
  ++group.queued_;
  ++group.unfinished_;
  group.queued_bytes_ += bytes;
  work_.notify_all();  // as in PushFile: only some waiters can take this member
}

void ScanScheduler::Drain(Group& group, BlobScanner& self) {
  std::unique_lock<std::mutex> lock(mu_);
  while (group.unfinished_ > 0) {
    if (!RunOne(lock, &group, self)) work_.wait(lock);
  }
}

bool ScanScheduler::RunOne(std::unique_lock<std::mutex>& lock, const Group* within,
                           BlobScanner& scanner) {
  auto it = members_.begin();
  while (it != members_.end() && within != nullptr && !it->group->Within(*within)) ++it;
  if (it == members_.end()) return false;
  Queued q = std::move(*it);
  members_.erase(it);
  --q.group->queued_;
  q.group->queued_bytes_ -= q.bytes;
  lock.unlock();
  q.task(scanner);
  q.task = nullptr;  // frees the member before the lock is taken again
  lock.lock();
  --q.group->unfinished_;
  work_.notify_all();  // the group's Drain, or workers waiting for the end
  return true;
}

}  // namespace leakproof::scanner
