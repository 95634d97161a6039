// Extractor: turns one Blob into child Blobs (archive members, decoded strings).
//
// Extractors are chosen by content (magic bytes), never by file name: an APK renamed
// to .bin is still a zip. The scanner calls every extractor whose CanExtract() is true,
// depth-first, up to ExtractLimits::max_depth.
//
// Contract for implementations:
//   - Never trust the input: every offset and length is bounds-checked; a malformed
//     input produces ctx.Diagnose(...) (and whatever children were good), never a
//     crash, hang, or unbounded allocation.
//   - Never write to disk; member names are data (labels), never paths to open.
//   - Charge decompressed/decoded bytes to ctx.budget() before allocating them.
//   - Children are handed to `emit` one at a time; the callee may scan them at once,
//     so a child's bytes must stay valid until emit returns (or be owned by the Blob).
//   - Thread-safety: one Extractor object is shared by all worker threads; Extract()
//     must be const and keep its state on the stack. A ChildMaker handed to the
//     deferred sink runs later on another worker (before the parent's scan ends, so
//     the parent's bytes are still valid) and must own everything else it uses.
#pragma once

#include "leakproof/scanner/blob.h"
#include "leakproof/scanner/diagnostic.h"
#include "leakproof/scanner/extract_limits.h"
#include "leakproof/scanner/status.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::scanner {

// Shared byte budget for one top-level input (zip-bomb guard across nesting levels),
// and its member budget: a nested bomb of small over-ratio members inflates little but
// has a million of them, each examined, so the members of every archive nested in one
// input are counted together too.
class ByteBudget {
 public:
  explicit ByteBudget(std::uint64_t total, std::uint64_t members = UINT64_MAX)
      : remaining_(total), members_(members) {}
  // Counts one archive member examined; false once `members` have been.
  bool TakeMember();
  // Reserves n bytes; false (and nothing reserved) when the budget would be exceeded.
  bool Take(std::uint64_t n);
  // Returns bytes taken but not used (reserved for a member that was then read another
  // way, or that came out shorter than declared).
  void Give(std::uint64_t n) { remaining_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t remaining() const { return remaining_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> remaining_;
  std::atomic<std::uint64_t> members_;
};

using DiagnosticSink = std::function<void(Diagnostic)>;

// A half-open byte range of a blob.
struct ByteRange {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

class ExtractContext;

// A child still to be made (an archive member still to inflate), see
// ExtractContext::deferred_sink(). Called once, on the worker that scans the child,
// with a context for that child's own diagnostics; nullopt when there is nothing to
// scan (after saying why on `ctx`).
using ChildMaker = std::function<std::optional<Blob>(ExtractContext& ctx)>;
// Takes a child still to be made: its member_index, the bytes its maker holds until
// it runs, and the maker. Returns false to ask the extractor to stop early.
using DeferredChildSink =
    std::function<bool(std::uint64_t member_index, std::uint64_t held_bytes, ChildMaker make)>;

class ExtractContext {
 public:
  ExtractContext(const ExtractLimits& limits, ByteBudget& budget, DiagnosticSink diagnose)
      : limits_(limits), budget_(budget), diagnose_(std::move(diagnose)) {}

  const ExtractLimits& limits() const { return limits_; }
  ByteBudget& budget() { return budget_; }
  // Set by a scanner that scans the children of IndependentChildren() extractors on
  // several threads: an archive then emits its largest members first, so the longest
  // job starts first instead of running alone after every other member is done. Each
  // child's Blob::member_index() restores archive order in the report.
  bool members_largest_first() const { return members_largest_first_; }
  void set_members_largest_first(bool v) { members_largest_first_ = v; }
  // Set by the same scanner: instead of emitting a member it would first have to
  // inflate, an extractor may hand it over unmade, so that inflating runs on the worker
  // that scans the member, in parallel with the rest. Null: emit children made.
  const DeferredChildSink* deferred_sink() const { return deferred_ ? &deferred_ : nullptr; }
  void set_deferred_sink(DeferredChildSink sink) { deferred_ = std::move(sink); }
  // Reports a problem with `blob` (or one of its members: pass the member's provenance).
  void Diagnose(const Provenance& where, DiagnosticLevel level, StatusCode code,
                std::string message) const;

  // Marks [begin, end) of the blob being extracted as wholly covered by the children
  // already emitted (a source map's sourcesContent array), so the blob's own scan skips
  // those bytes instead of scanning them a second time in their escaped form. The
  // scanner keeps one list per blob; extractors only add to it.
  void SkipInParentScan(std::uint64_t begin, std::uint64_t end) {
    if (begin < end) parent_skips_.push_back({begin, end});
  }
  std::vector<ByteRange>& parent_skips() { return parent_skips_; }

 private:
  const ExtractLimits& limits_;
  ByteBudget& budget_;
  DiagnosticSink diagnose_;
  std::vector<ByteRange> parent_skips_;
  bool members_largest_first_ = false;
  DeferredChildSink deferred_;
};

// Receives one child; returns false to ask the extractor to stop early.
using ChildSink = std::function<bool(Blob child)>;

class Extractor {
 public:
  virtual ~Extractor() = default;
  // Short stable name ("zip", "dex", "arsc"), used in diagnostics and tests.
  virtual std::string_view name() const = 0;
  // Cheap check on the first bytes (and size); no parsing.
  virtual bool CanExtract(const Blob& blob) const = 0;
  // True when the children cover everything scannable in the parent, so scanning the
  // parent's raw bytes would only add noise or duplicates (zip: deflated bytes; DEX,
  // arsc, Hermes: strings already emitted one by one, and raw Hermes storage packs
  // strings without separators, which creates phantom keys).
  virtual bool ReplacesParentScan() const { return false; }
  // True when the child re-presents the parent's own text (string literals with their
  // escapes decoded): a key that the raw parent shows too is then reported at the
  // parent's location, which has a real line and column. Otherwise the child's report
  // wins, since it says more (a resource name, a source map's original file and line).
  virtual bool ChildIsTextView() const { return false; }
  // True when the children depend neither on each other nor on the order they are
  // scanned in (archive members): the scanner may scan them on other threads while this
  // extractor is still emitting, and merges their results in member_index() order.
  // Such children must own their bytes (or share the parent blob's owner).
  virtual bool IndependentChildren() const { return false; }
  // Emits children. A non-ok return is reported as a diagnostic on the blob by the
  // caller; children already emitted are still scanned.
  virtual Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const = 0;
};

// All built-in extractors, in the order they are tried. Defined in extractor_registry.cc.
const std::vector<std::unique_ptr<Extractor>>& BuiltinExtractors();

}  // namespace leakproof::scanner
