// Blob: bytes to scan plus where they came from.
//
// A Blob is a read-only view of bytes with an owner that keeps them alive (an owned
// string, an mmap, a parent archive's buffer) and a Provenance chain. Extractors turn
// one Blob into child Blobs (a zip member, the strings of a DEX file, the
// sourcesContent of a source map); each child carries its parent's provenance plus
// one Origin.
//
// Segments let one child blob hold many small logical strings (DEX string table,
// resources.arsc values, Hermes strings) joined by '\n': a finding at an offset is
// labelled with the segment it falls in (e.g. "@string/google_api_key"), and, because
// the strings are separated, no match can join the end of one string to the start of
// the next ("phantom keys").
//
// Thread-safety: a Blob is immutable after construction and may be read from any
// thread. Copying is cheap (views and shared_ptrs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::scanner {

// One step in a provenance chain: a file path, an archive member, a decoded view.
struct Origin {
  std::string name;    // "app.apk", "classes2.dex", "src/api/client.ts", "base64"
  std::string detail;  // optional qualifier shown in parentheses: "@string/api_key"
  // True for a decoding step (base64, js-unescape, utf-16le) rather than a member:
  // printed as "name[decoding]" so users see how the bytes were transformed.
  bool is_decoding = false;
};

class Provenance {
 public:
  Provenance() = default;
  explicit Provenance(std::string root_path) {
    chain_.push_back({std::move(root_path), {}, false});
  }

  // A new chain that is this one plus `step`.
  Provenance Child(Origin step) const;

  const std::vector<Origin>& chain() const { return chain_; }
  bool empty() const { return chain_.empty(); }
  // The path of the outermost input (a file on disk, or "-" for stdin).
  const std::string& root() const;

  // "app.xapk!base.apk!resources.arsc" — members joined by '!'; a decoding step is
  // appended as "[base64]". `detail` of the last step is *not* included here.
  std::string ToString() const;

 private:
  std::vector<Origin> chain_;
};

// A labelled range inside a blob, see the file comment.
struct Segment {
  std::uint64_t offset = 0;  // first byte of the segment in the blob
  std::string label;         // "@string/google_api_key", "meta-data com.google.android.geo.API_KEY"
};

class Blob {
 public:
  Blob() = default;
  // A blob owning `data`.
  static Blob FromString(std::string data, Provenance provenance);
  // A view into bytes kept alive by `owner` (may be null when the caller guarantees
  // the bytes outlive every use, e.g. a worker's own buffer during one scan).
  static Blob FromView(std::string_view bytes, std::shared_ptr<const void> owner,
                       Provenance provenance);

  std::string_view bytes() const { return bytes_; }
  std::size_t size() const { return bytes_.size(); }
  const Provenance& provenance() const { return provenance_; }
  // Nesting depth: 0 for a top-level input, parent + 1 for an extracted child.
  int depth() const { return depth_; }
  void set_depth(int d) { depth_ = d; }
  // Position among the parent's children (an archive's entry number). A scanner that
  // scans an archive's members concurrently, largest first, merges their results back
  // in this order. 0 unless the extractor sets it.
  std::uint64_t member_index() const { return member_index_; }
  void set_member_index(std::uint64_t i) { member_index_ = i; }
  const std::shared_ptr<const void>& owner() const { return owner_; }

  // Segments, sorted by offset (see file comment). Empty for ordinary blobs.
  const std::vector<Segment>& segments() const { return segments_; }
  void set_segments(std::vector<Segment> s) { segments_ = std::move(s); }
  // The label of the segment containing `offset`, or nullptr.
  const std::string* SegmentLabelAt(std::uint64_t offset) const;

  // Line numbers are meaningful for text (source files, a source map's original
  // source); for a segmented blob the segment label is reported instead.
  bool report_lines() const { return report_lines_; }
  void set_report_lines(bool v) { report_lines_ = v; }

 private:
  std::string_view bytes_;
  std::shared_ptr<const void> owner_;
  Provenance provenance_;
  std::vector<Segment> segments_;
  int depth_ = 0;
  std::uint64_t member_index_ = 0;
  bool report_lines_ = true;
};

// Builds a segmented blob: Add() each logical string with its label; strings are
// joined by '\n' (and any '\n' inside a string is kept: the segment map, not the
// newline, is what tells strings apart for labels).
class SegmentedBlobBuilder {
 public:
  void Add(std::string_view text, std::string label);
  bool empty() const { return data_.empty(); }
  std::size_t size() const { return data_.size(); }
  // Consumes the builder.
  Blob Build(Provenance provenance) &&;

 private:
  std::string data_;
  std::vector<Segment> segments_;
};

}  // namespace leakproof::scanner
