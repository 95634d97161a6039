// Reading with libarchive from memory (archive_read_open_memory: nothing touches the
// disk; member names are labels, never paths to open).
#include "extract/archive/libarchive_extractor.h"

#include "extract/archive/image_layers.h"
#include "extract/archive/stream_cap.h"

#include <archive.h>
#include <archive_entry.h>
#include <cctype>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace leakproof::scanner {

namespace {

// The decoding step of the fallback child emitted when libarchive cannot read the
// input at all: its raw bytes are scanned instead, and must not be opened again.
constexpr std::string_view kRawStep = "unreadable-archive";
// The decoding step that marks a file of an image layer deleted by a layer above it.
constexpr std::string_view kHistoryOnlyStep = "only-in-image-history";
// libarchive asks to retry a header read now and then; more than this in a row is a
// damaged archive, not a transient condition.
constexpr int kMaxRetries = 8;

bool StartsWith(std::string_view b, std::string_view magic, std::size_t at = 0) {
  return b.size() >= at + magic.size() && b.compare(at, magic.size(), magic) == 0;
}

using std::string_view_literals::operator""sv;

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveCloser>;

// `raw_only`: the decompressed stream as one entry, whatever it holds.
ArchivePtr OpenReader(std::string_view bytes, bool raw_only = false) {
  ArchivePtr a(archive_read_new());
  if (!a) return a;
  archive* r = a.get();
  archive_read_support_filter_all(r);  // gzip bzip2 xz lzma lzip lzop zstd lz4 rpm uu ...
  if (raw_only) {
    archive_read_support_format_raw(r);
    if (archive_read_open_memory(r, bytes.data(), bytes.size()) != ARCHIVE_OK) a.reset();
    return a;
  }
  // An explicit list, not archive_read_support_format_all(): formats that bid on plain
  // text (mtree, warc) would turn a decompressed JS bundle into garbage entries, and
  // zip stays with libzip.
  archive_read_support_format_tar(r);  // ustar, gnutar, pax
  archive_read_support_format_cpio(r);
  archive_read_support_format_ar(r);
  archive_read_support_format_7zip(r);
  archive_read_support_format_cab(r);
  archive_read_support_format_iso9660(r);
  // Lowest bid: a compressed stream that holds no archive is read as one entry.
  archive_read_support_format_raw(r);
  if (archive_read_open_memory(r, bytes.data(), bytes.size()) != ARCHIVE_OK) a.reset();
  return a;
}

std::string ErrorText(archive* a) {
  const char* s = archive_error_string(a);
  return s != nullptr && *s != '\0' ? s : "unknown libarchive error";
}

// newc/crc ("070701"/"070702": 110 bytes of hex fields) or odc ("070707": 76 bytes of
// octal fields): the whole header is checked, since a text file may start "07070".
bool IsCpioAsciiHeader(std::string_view b) {
  const bool odc = StartsWith(b, "070707");
  const bool newc = StartsWith(b, "070701") || StartsWith(b, "070702");
  const std::size_t len = odc ? 76 : 110;
  if ((!odc && !newc) || b.size() < len) return false;
  for (std::size_t i = 6; i < len; ++i) {
    const char c = b[i];
    const bool ok =
        odc ? (c >= '0' && c <= '7') : std::isxdigit(static_cast<unsigned char>(c)) != 0;
    if (!ok) return false;
  }
  return true;
}

bool IsHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// A member's label: "./" dropped (deb and docker layers write "./usr/..."), and an
// image blob ("blobs/sha256/<hex>", the OCI layout that `docker save` writes) named
// by its digest as registries and `docker inspect` print it.
std::string MemberLabel(std::string_view path) {
  path = NormalTarPath(path);
  constexpr std::string_view kBlobs = "blobs/sha256/";
  if (path.size() == kBlobs.size() + 64 && path.substr(0, kBlobs.size()) == kBlobs &&
      IsHex(path.substr(kBlobs.size()))) {
    return "sha256:" + std::string(path.substr(kBlobs.size()));
  }
  return std::string(path);
}

// Why Walk() ended.
enum class WalkEnd { kDone, kStopped, kUnreadable };

class ArchiveWalker {
 public:
  ArchiveWalker(const Blob& blob, ExtractContext& ctx)
      : blob_(blob), ctx_(ctx), cap_(ctx, blob.size()) {}

  Status Run(const ChildSink& emit) {
    layer_paths_ = ImageLayerPaths();
    layers_.assign(layer_paths_.size(), {});
    std::string why;
    const WalkEnd end = Walk(blob_.bytes(), blob_.provenance(), cap_, emit, nullptr, why);
    if (end == WalkEnd::kUnreadable) return Fallback(why, emit);
    if (end == WalkEnd::kDone && !layer_paths_.empty()) ReadLayers(emit);
    return Status::Ok();
  }

 private:
  // The layers of a docker save tar, bottom first (see image_layers.h); empty for any
  // other input. Only an uncompressed tar is looked at: skipping over its members in
  // memory costs a header walk, and image tars are not compressed as a whole.
  std::vector<std::string> ImageLayerPaths() const {
    constexpr std::int64_t kMaxManifest = 4 << 20;
    if (!StartsWith(blob_.bytes(), "ustar", 257)) return {};
    ArchivePtr a = OpenReader(blob_.bytes());
    if (!a) return {};
    archive_entry* entry = nullptr;
    for (std::uint64_t n = 0; n < ctx_.limits().max_entries; ++n) {
      if (archive_read_next_header(a.get(), &entry) != ARCHIVE_OK) return {};
      const char* path = archive_entry_pathname(entry);
      if (path == nullptr || NormalTarPath(path) != "manifest.json") continue;
      const std::int64_t size = archive_entry_size(entry);
      if (size <= 0 || size > kMaxManifest) return {};
      std::string json(static_cast<std::size_t>(size), '\0');
      std::size_t got = 0;
      while (got < json.size()) {
        const la_ssize_t part = archive_read_data(a.get(), json.data() + got, json.size() - got);
        if (part <= 0) return {};
        got += static_cast<std::size_t>(part);
      }
      return ManifestLayers(json);
    }
    return {};
  }

  // The held layers, top layer first, so that whiteouts are known before the files
  // they delete. A layer's files are named as if the layer had been a child:
  // "image.tar!sha256:<layer>!app/server.js".
  void ReadLayers(const ChildSink& emit) {
    Whiteouts whiteouts;
    for (std::size_t i = layers_.size(); i-- > 0;) {
      const Provenance where = blob_.provenance().Child({MemberLabel(layer_paths_[i]), "", false});
      if (!layers_[i]) {
        Warn(where, StatusCode::kCorrupt,
             "image: layer listed in manifest.json is not in the archive");
        continue;
      }
      StreamCap cap(ctx_, layers_[i]->bytes.size());
      std::string why;
      const WalkEnd end = Walk(layers_[i]->bytes, where, cap, emit, &whiteouts, why);
      layers_[i].reset();  // its files own copies, or view the input
      if (end == WalkEnd::kStopped) return;
      if (end == WalkEnd::kUnreadable) {
        Warn(where, StatusCode::kCorrupt, "image: cannot read layer (" + why + ")");
      }
      whiteouts.EndLayer();
    }
  }

  // Walks the archive or stream in `bytes`, emitting members under `parent`. With
  // `whiteouts` the bytes are an image layer: whiteout entries are recorded, and files
  // deleted by a layer above are marked. kUnreadable (reason in `why`) when not one
  // entry could be read.
  WalkEnd Walk(std::string_view bytes, const Provenance& parent, StreamCap& cap,
               const ChildSink& emit, Whiteouts* whiteouts, std::string& why,
               bool raw_only = false) {
    ArchivePtr a = OpenReader(bytes, raw_only);
    if (!a) {
      why = "cannot open";
      return WalkEnd::kUnreadable;
    }
    archive* r = a.get();
    std::uint64_t entries = 0;
    int retries = 0;
    while (true) {
      archive_entry* entry = nullptr;
      const int rc = archive_read_next_header(r, &entry);
      if (rc == ARCHIVE_EOF) {
        // The tar reader takes a stream that starts with two zero blocks for an empty
        // archive: a compressed stream of zeros (a bomb), or text after a zero-filled
        // start, would end here unread. Read such a stream as plain data instead.
        if (entries == 0 && !raw_only && archive_filter_code(r, 0) != 0 &&
            archive_format(r) != ARCHIVE_FORMAT_RAW) {
          return Walk(bytes, parent, cap, emit, whiteouts, why, true);
        }
        break;
      }
      if (rc == ARCHIVE_RETRY && ++retries <= kMaxRetries) continue;
      if (rc < ARCHIVE_WARN) {
        if (entries == 0) {
          why = ErrorText(r);
          return WalkEnd::kUnreadable;
        }
        Warn(parent, StatusCode::kCorrupt,
             Format(r) + ": " + ErrorText(r) + " after " + std::to_string(entries) +
                 " entries; the rest is not scanned");
        break;
      }
      retries = 0;
      if (entries == 0 && !Readable(r)) {
        why = "no archive or compressed data";
        return WalkEnd::kUnreadable;
      }
      if (++entries > ctx_.limits().max_entries) {
        Warn(parent, StatusCode::kLimitExceeded,
             Format(r) + ": more than " + std::to_string(ctx_.limits().max_entries) +
                 " entries; the rest are skipped");
        break;
      }
      if (!Member(r, entry, parent, cap, emit, whiteouts)) return WalkEnd::kStopped;
    }
    return WalkEnd::kDone;
  }

  // The raw format with no filter would hand back the very bytes we were given.
  static bool Readable(archive* r) {
    return archive_format(r) != ARCHIVE_FORMAT_RAW || archive_filter_code(r, 0) != 0;
  }

  // "tar.gz", "gzip", "cpio": what the user would call the thing, for messages.
  static std::string Format(archive* r) {
    const char* filter = archive_filter_code(r, 0) != 0 ? archive_filter_name(r, 0) : nullptr;
    if (archive_format(r) == ARCHIVE_FORMAT_RAW && filter != nullptr) return filter;
    const char* fmt = archive_format_name(r);
    std::string out = fmt != nullptr ? fmt : "archive";
    if (filter != nullptr) out += std::string(" (") + filter + ")";
    return out;
  }

  Status Fallback(const std::string& why, const ChildSink& emit) {
    Warn(blob_.provenance(), StatusCode::kCorrupt,
         "archive: cannot read (" + why + "); scanning its raw bytes instead");
    emit(Blob::FromView(blob_.bytes(), blob_.owner(),
                        blob_.provenance().Child({std::string(kRawStep), "", true})));
    return Status::Ok();
  }

  void Warn(const Provenance& where, StatusCode code, std::string message) {
    ctx_.Diagnose(where, DiagnosticLevel::kWarning, code, std::move(message));
  }

  // True when [p, p + n) lies inside the input blob (compared as addresses: the
  // pointer may come from anywhere in libarchive).
  bool InInput(const char* p, std::size_t n) const {
    const auto begin = reinterpret_cast<std::uintptr_t>(blob_.bytes().data());
    const auto end = begin + blob_.size();
    const auto at = reinterpret_cast<std::uintptr_t>(p);
    return at >= begin && at <= end && n <= end - at;
  }

  // The index of an image tar's member among manifest.json's layers, or -1.
  int LayerIndex(std::string_view path) const {
    path = NormalTarPath(path);
    for (std::size_t i = 0; i < layer_paths_.size(); ++i) {
      if (layer_paths_[i] == path) return static_cast<int>(i);
    }
    return -1;
  }

  // Handles one entry; false stops the archive (budget gone, fatal error, emit said stop).
  bool Member(archive* r, archive_entry* entry, const Provenance& parent, StreamCap& cap,
              const ChildSink& emit, Whiteouts* whiteouts) {
    const std::uint64_t index = next_index_++;
    const bool raw = archive_format(r) == ARCHIVE_FORMAT_RAW;
    Provenance where;
    int layer = -1;
    if (raw) {
      where = parent.Child({archive_filter_name(r, 0), "", true});
    } else {
      const char* path = archive_entry_pathname_utf8(entry);
      if (path == nullptr) path = archive_entry_pathname(entry);
      std::string label = path != nullptr ? MemberLabel(path) : "";
      if (label.empty()) label = "#" + std::to_string(index);
      if (whiteouts != nullptr && path != nullptr && whiteouts->Record(path)) return true;
      const bool deleted = whiteouts != nullptr && path != nullptr && whiteouts->Deleted(path);
      if (whiteouts == nullptr && path != nullptr) layer = LayerIndex(path);
      where = parent.Child({std::move(label), "", false});
      // Still in the image (every pull hands it out), but not in the running container.
      if (deleted) where = where.Child({std::string(kHistoryOnlyStep), "", true});
      if (archive_entry_filetype(entry) != AE_IFREG) return true;  // dirs, links, devices
      if (archive_entry_size_is_set(entry) &&
          static_cast<std::uint64_t>(archive_entry_size(entry)) > ctx_.limits().max_member_bytes) {
        Warn(where, StatusCode::kLimitExceeded,
             Format(r) + ": member of " + std::to_string(archive_entry_size(entry)) +
                 " bytes exceeds the per-member limit of " +
                 std::to_string(ctx_.limits().max_member_bytes) + "; not extracted");
        return true;
      }
    }
    if (archive_entry_is_encrypted(entry)) {
      Warn(where, StatusCode::kUnsupported, Format(r) + ": encrypted member, not scannable");
      return true;
    }
    // An uncompressed archive read from memory hands out blocks inside the input
    // itself: while they follow each other the member stays a view of the input (no
    // copy, nothing charged: an image tar's layers or a plain tar's files cost no
    // memory). A block from anywhere else (a decompressor's buffer) or a sparse hole
    // turns it into a copy, charged chunk by chunk.
    std::string data;
    std::string_view view;
    bool as_view = true;
    bool go_on = true;
    while (true) {
      const void* block = nullptr;
      std::size_t size = 0;
      la_int64_t offset = 0;
      const int rc = archive_read_data_block(r, &block, &size, &offset);
      if (rc == ARCHIVE_EOF) break;
      if (rc < ARCHIVE_WARN) {
        Warn(where, StatusCode::kCorrupt,
             Format(r) + ": read error: " + ErrorText(r) + "; scanning the bytes read so far");
        go_on = rc != ARCHIVE_FATAL;
        break;
      }
      const char* bytes = static_cast<const char*>(block);
      const std::uint64_t have = as_view ? view.size() : data.size();
      const std::uint64_t hole = offset > 0 && static_cast<std::uint64_t>(offset) > have
                                     ? static_cast<std::uint64_t>(offset) - have
                                     : 0;
      if (as_view && hole == 0 && InInput(bytes, size) &&
          (view.empty() || bytes == view.data() + view.size())) {
        view = std::string_view(view.empty() ? bytes : view.data(), view.size() + size);
        continue;
      }
      if (as_view) {
        as_view = false;
        if (!view.empty()) {
          const StreamCap::Verdict v = cap.Admit(0, view.size());
          if (v != StreamCap::Verdict::kKeep) {
            Warn(where, StatusCode::kLimitExceeded, cap.Why(v, Format(r), 0));
            go_on = v == StreamCap::Verdict::kMemberTooBig;
            break;
          }
          data.assign(view);
        }
      }
      const std::uint64_t n = hole + size;
      if (n == 0) continue;
      const StreamCap::Verdict v = cap.Admit(data.size(), n);
      if (v != StreamCap::Verdict::kKeep) {
        Warn(where, StatusCode::kLimitExceeded, cap.Why(v, Format(r), data.size()));
        // Past the ratio or the budget, the rest of the stream is no safer.
        go_on = v == StreamCap::Verdict::kMemberTooBig;
        break;
      }
      data.append(hole, '\0');
      data.append(bytes, size);
    }
    if (layer >= 0) {
      // Held until the whole image tar is read: see ReadLayers().
      HeldLayer& held = layers_[static_cast<std::size_t>(layer)].emplace();
      if (as_view) {
        held.bytes = view;
      } else {
        held.owned = std::move(data);
        held.bytes = held.owned;
      }
      return go_on;
    }
    if (as_view ? !view.empty() : !data.empty()) {
      Blob child = as_view ? Blob::FromView(view, blob_.owner(), where)
                           : Blob::FromString(std::move(data), where);
      child.set_member_index(index);
      if (!emit(std::move(child))) return false;
    }
    return go_on;
  }

  const Blob& blob_;
  ExtractContext& ctx_;
  StreamCap cap_;
  std::uint64_t next_index_ = 0;
  std::vector<std::string> layer_paths_;  // image tars only
  struct HeldLayer {
    std::string owned;       // a copy, when the layer did not lie whole in the input
    std::string_view bytes;  // owned, or a view of the input
  };
  std::vector<std::optional<HeldLayer>> layers_;  // their bytes, once read
};

class LibarchiveExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "archive"; }
  bool CanExtract(const Blob& blob) const override {
    if (!LooksLikeLibarchiveInput(blob.bytes())) return false;
    const auto& chain = blob.provenance().chain();
    return chain.empty() || !(chain.back().is_decoding && chain.back().name == kRawStep);
  }
  // Compressed bytes hold nothing readable; an uncompressed archive's members are all
  // emitted (and an unreadable input comes back as a raw child).
  bool ReplacesParentScan() const override { return true; }
  // Members own their bytes, or share the input's owner (the unreadable child).
  bool IndependentChildren() const override { return true; }

  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override {
    return ArchiveWalker(blob, ctx).Run(emit);
  }
};

}  // namespace

bool LooksLikeLibarchiveInput(std::string_view b) {
  // Compressed streams.
  if (StartsWith(b, "\x1f\x8b\x08"sv)) return b.size() > 3 && (b[3] & 0xe0) == 0;  // gzip
  if (StartsWith(b, "BZh") && b.size() > 3 && b[3] >= '1' && b[3] <= '9') return true;
  if (StartsWith(b,
                 "\xfd"
                 "7zXZ\0"sv))
    return true;                                            // xz
  if (StartsWith(b, "LZIP")) return true;                   // lzip
  if (StartsWith(b, "\x89LZO\0\r\n\x1a\n"sv)) return true;  // lzop
  if (StartsWith(b, "\x28\xb5\x2f\xfd"sv)) return true;     // zstd frame
  if (StartsWith(b, "\x04\x22\x4d\x18"sv)) return true;     // lz4 frame
  if (StartsWith(b, "\x02\x21\x4c\x18"sv)) return true;     // lz4 legacy
  // Archives.
  if (StartsWith(b, "ustar", 257)) return true;  // tar (all but v7)
  if (StartsWith(b, "!<arch>\n")) return true;   // ar: .deb, .a
  // (binary cpio's two-byte magic is left out: too likely at the start of other data)
  if (StartsWith(b, "07070")) return IsCpioAsciiHeader(b);  // cpio odc/newc/crc
  if (StartsWith(b, "\xed\xab\xee\xdb"sv)) return true;     // rpm
  if (StartsWith(b, "7z\xbc\xaf\x27\x1c"sv)) return true;   // 7z
  if (StartsWith(b, "MSCF\0\0\0\0"sv)) return true;         // cab
  if (StartsWith(b, "CD001", 0x8001)) return true;          // iso9660
  return false;
}

std::unique_ptr<Extractor> NewLibarchiveExtractor() {
  return std::make_unique<LibarchiveExtractor>();
}

}  // namespace leakproof::scanner
