// ScanScheduler: the work of one Scan() for its worker threads — top-level files from
// the walker, and archive members a worker hands out (MemberFanOut) so that other
// workers scan them instead of idling while one worker walks a large APK alone.
//
// One mutex guards both queues. Queued members come before new files: an archive that
// is under way finishes (and frees its members) before another is opened. Each
// archive's queue is bounded (kMaxQueuedMembers, kMaxQueuedBytes); when it is full the
// handing-out worker scans its oldest queued member itself rather than read more,
// which bounds memory without ever leaving that worker idle.
//
// Waiting is deadlock-free: a worker only waits for members of its own archive (or of
// archives nested in it), and while it waits it runs those that are still queued;
// the others are running on workers that wait, in turn, only on deeper archives.
#pragma once

#include "scan/walker.h"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>

namespace leakproof::scanner {

class BlobScanner;

class ScanScheduler {
 public:
  // Queued members of one archive per archive (per group).
  static constexpr std::size_t kMaxQueuedMembers = 16;
  // Bytes held by one archive's queued members (a member still to inflate holds its
  // compressed stream); one member is always accepted, whatever its size.
  static constexpr std::uint64_t kMaxQueuedBytes = 32ull << 20;

  // The members handed out by one archive. `parent` is the group of the member that
  // holds this archive (a nested archive), or null for a top-level input.
  class Group {
   public:
    explicit Group(const Group* parent) : parent_(parent) {}

   private:
    friend class ScanScheduler;
    bool Within(const Group& ancestor) const;
    const Group* parent_;
    // Guarded by the scheduler's mutex.
    std::size_t queued_ = 0;
    std::size_t unfinished_ = 0;  // queued or running
    std::uint64_t queued_bytes_ = 0;
  };

  // Scans one member on the scanner of whichever worker runs it.
  using Task = std::function<void(BlobScanner&)>;

  explicit ScanScheduler(std::size_t file_capacity) : file_capacity_(file_capacity) {}

  // Walker thread: blocks while the file queue is full; false once closed.
  bool PushFile(WalkItem item);
  // No more files will come.
  void CloseFiles();

  // Worker threads: runs queued members on `scanner` until a file is available, and
  // returns it; nullopt when the walker is done and no work is left anywhere. Every
  // file returned must be followed by FileDone().
  std::optional<WalkItem> NextFile(BlobScanner& scanner);
  void FileDone();

  // Queues a member of `bytes` bytes for any worker. While the group's queue is full,
  // runs the group's oldest queued member on `self` (the calling worker's scanner).
  void Submit(Group& group, std::uint64_t bytes, Task task, BlobScanner& self);
  // Returns once every member of `group` has been scanned, running queued members of
  // the group (or of archives nested in it) on `self` meanwhile.
  void Drain(Group& group, BlobScanner& self);

 private:
  struct Queued {
    Group* group;
    std::uint64_t bytes;
    Task task;
  };

  // Removes the first queued member of `group` or of a group nested in it (any group
  // when null) and runs it on `scanner` with the lock released. False if none.
  bool RunOne(std::unique_lock<std::mutex>& lock, const Group* within, BlobScanner& scanner);

  std::mutex mu_;
  std::condition_variable work_;   // a file or member was queued, or something finished
  std::condition_variable space_;  // the file queue has room
  std::deque<WalkItem> files_;
  std::deque<Queued> members_;
  const std::size_t file_capacity_;
  std::size_t busy_ = 0;  // workers inside a file, or a member taken from NextFile
  bool closed_ = false;
};

}  // namespace leakproof::scanner
