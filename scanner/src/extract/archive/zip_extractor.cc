// Zip member extraction with libzip, from memory (zip_source_buffer_create +
// zip_open_from_source, read-only: nothing touches the disk).
//
// Limits are checked twice: against the central directory's declared sizes before a
// member is opened (cheap, stops honest bombs), and against the bytes actually
// inflated while reading (declared sizes are attacker-controlled). On libzip's
// streaming path the budget is charged per chunk before the chunk is appended, so
// memory follows real bytes; on the libdeflate path (zip_inflate.h) the declared size,
// already held to the size and ratio limits, is charged before its buffer exists, and
// the stream may not write past it.
#include "extract/archive/zip_extractor.h"

#include "extract/archive/zip_inflate.h"
#include "extract/archive/zip_local_member.h"
#include "extract/archive/zip_recovery.h"

#include <libdeflate.h>
#include <zip.h>

#include <algorithm>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

namespace leakproof::scanner {

namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
// The decoding step of the fallback child emitted when libzip cannot open the archive.
constexpr std::string_view kRawStep = "unreadable-zip";

bool IsZipMagic(std::string_view b) {
  return b.size() >= 4 && b[0] == 'P' && b[1] == 'K' &&
         ((b[2] == '\x03' && b[3] == '\x04') || (b[2] == '\x05' && b[3] == '\x06'));
}

// Names that would escape an extraction directory: "../x", "a/../../x", "/etc/x",
// "C:\x", "\\server\x". We never extract to disk, but such a name in a release
// artifact is worth a warning of its own.
bool IsSuspiciousName(std::string_view n) {
  if (n.empty()) return false;
  if (n[0] == '/' || n[0] == '\\') return true;
  if (n.size() >= 2 && n[1] == ':') return true;
  std::size_t start = 0;
  while (start <= n.size()) {
    std::size_t end = n.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = n.size();
    if (n.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

// Closes the archive (and its source) on every return path.
struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

class ZipWalker {
 public:
  ZipWalker(const Blob& blob, ExtractContext& ctx, ZipInflate inflate)
      : blob_(blob), ctx_(ctx), inflate_(inflate) {}

  Status Run(const ChildSink& emit) {
    const std::string_view bytes = blob_.bytes();
    std::string why;
    // Declared before `archive`: a recovered directory must outlive the archive.
    RecoveredZip recovered;
    std::unique_ptr<zip_t, ZipCloser> archive = Open(bytes, why);
    if (!archive) {
      // Most often a cut-off file: rebuild the directory from the local headers.
      recovered = RecoverZipDirectory(bytes, ctx_.limits().max_entries);
      if (recovered.members > 0) {
        const zip_buffer_fragment_t parts[2] = {
            {const_cast<zip_uint8_t*>(reinterpret_cast<const zip_uint8_t*>(bytes.data())),
             recovered.prefix_bytes},
            {reinterpret_cast<zip_uint8_t*>(recovered.directory.data()),
             recovered.directory.size()}};
        std::string ignored;
        archive = OpenFragments(parts, ignored);
      }
      if (!archive) {
        // Stored members are still plain bytes: hand the raw archive on, marked so
        // we do not try to open it again.
        Warn(blob_.provenance(), StatusCode::kCorrupt,
             "zip: cannot open archive (" + why + "); scanning its raw bytes instead");
        emit(Blob::FromView(bytes, blob_.owner(),
                            blob_.provenance().Child({std::string(kRawStep), "", true})));
        return Status::Ok();
      }
      Warn(blob_.provenance(), StatusCode::kCorrupt,
           "zip: cannot open archive (" + why + "); recovered " +
               std::to_string(recovered.members) +
               " complete members from local headers, the rest is lost");
      // A rebuilt directory only repeats what the local headers claim: libzip's reader
      // copes with whatever they got wrong.
      inflate_ = ZipInflate::kLibzipOnly;
    }
    zip_t* za = archive.get();
    const zip_int64_t n = zip_get_num_entries(za, 0);
    std::uint64_t count = n < 0 ? 0 : static_cast<std::uint64_t>(n);
    if (count > ctx_.limits().max_entries) {
      Warn(blob_.provenance(), StatusCode::kLimitExceeded,
           "zip: " + std::to_string(count) + " entries exceed the limit of " +
               std::to_string(ctx_.limits().max_entries) + "; the rest are skipped");
      count = ctx_.limits().max_entries;
    }
    for (std::uint64_t i : MemberOrder(za, count)) {
      if (!Member(za, i, emit)) break;
    }
    return Status::Ok();
  }

 private:
  using ArchivePtr = std::unique_ptr<zip_t, ZipCloser>;

  // Opens `bytes` read-only from memory; null with libzip's reason in `why`.
  static ArchivePtr Open(std::string_view bytes, std::string& why) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    return OpenSource(src, error, why);
  }
  static ArchivePtr OpenFragments(const zip_buffer_fragment_t (&parts)[2], std::string& why) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* src = zip_source_buffer_fragment_create(parts, 2, 0, &error);
    return OpenSource(src, error, why);
  }
  static ArchivePtr OpenSource(zip_source_t* src, zip_error_t& error, std::string& why) {
    ArchivePtr archive(src ? zip_open_from_source(src, ZIP_RDONLY, &error) : nullptr);
    if (!archive) {
      why = zip_error_strerror(&error);
      if (src) zip_source_free(src);  // not taken over by a failed open
    }
    zip_error_fini(&error);
    return archive;
  }

  // Entry numbers in archive order, or largest declared size first when the scanner
  // asks for it (see ExtractContext::members_largest_first).
  std::vector<std::uint64_t> MemberOrder(zip_t* za, std::uint64_t count) const {
    std::vector<std::uint64_t> order(count);
    std::iota(order.begin(), order.end(), 0);
    if (!ctx_.members_largest_first()) return order;
    std::vector<std::uint64_t> size(count, 0);
    for (std::uint64_t i = 0; i < count; ++i) {
      zip_stat_t st;
      zip_stat_init(&st);
      if (zip_stat_index(za, i, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE)) size[i] = st.size;
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint64_t a, std::uint64_t b) { return size[a] > size[b]; });
    return order;
  }

  void Warn(const Provenance& where, StatusCode code, std::string message) {
    ctx_.Diagnose(where, DiagnosticLevel::kWarning, code, std::move(message));
  }

  // Handles entry `i`; false stops the whole archive (budget gone, or emit said stop).
  bool Member(zip_t* za, std::uint64_t i, const ChildSink& emit) {
    if (!ctx_.budget().TakeMember()) {
      Warn(blob_.provenance(), StatusCode::kLimitExceeded,
           "zip: more than " + std::to_string(ctx_.limits().max_entries) +
               " members in this input's archives, nested ones included (a nested zip "
               "bomb?); the remaining members are not scanned");
      return false;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za, i, 0, &st) != 0) {
      Warn(blob_.provenance(), StatusCode::kCorrupt,
           "zip: entry #" + std::to_string(i) + ": " + zip_strerror(za));
      return true;
    }
    std::string name = (st.valid & ZIP_STAT_NAME) && st.name ? st.name : "";
    if (name.empty()) name = "#" + std::to_string(i);
    const Provenance where = blob_.provenance().Child({name, "", false});
    const std::uint64_t size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    const std::uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    if (name.back() == '/' && size == 0) return true;  // directory entry
    if (IsSuspiciousName(name)) {
      Warn(where, StatusCode::kInvalidArgument,
           "zip: suspicious member name (absolute or '..' path); scanned as data only");
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
      Warn(where, StatusCode::kUnsupported, "zip: encrypted member, not scannable");
      return true;
    }
    if ((st.valid & ZIP_STAT_COMP_METHOD) && !zip_compression_method_supported(st.comp_method, 0)) {
      Warn(where, StatusCode::kUnsupported,
           "zip: compression method " + std::to_string(st.comp_method) +
               " not supported, member not scanned");
      return true;
    }
    // A compressed size past the end of the archive is a directory entry that lies:
    // the local header may say what the member really is (see zip_local_member.h).
    if ((st.valid & ZIP_STAT_COMP_SIZE) && st.comp_size > blob_.size()) {
      if (auto done = FromLocalHeader(st, where, emit)) return *done;
    }
    const ExtractLimits& lim = ctx_.limits();
    if (size > lim.max_member_bytes) {
      Warn(where, StatusCode::kLimitExceeded,
           "zip: member of " + std::to_string(size) + " bytes exceeds the per-member limit of " +
               std::to_string(lim.max_member_bytes) + "; not extracted");
      return true;
    }
    if (size > 0 && (comp == 0 || size / comp > lim.max_ratio)) {
      // An understated compressed size makes any member look like a bomb.
      if (auto done = FromLocalHeader(st, where, emit)) return *done;
      Warn(where, StatusCode::kLimitExceeded,
           "zip: compression ratio " + RatioText(size, comp) + " exceeds the limit of " +
               std::to_string(lim.max_ratio) + " (zip bomb?); not extracted");
      return true;
    }
    if (auto done = ReadWhole(za, i, st, where, emit)) return *done;
    stat_ = &st;
    const bool more = Read(za, i, size, comp, where, emit);
    stat_ = nullptr;
    return more;
  }

  // A member whose directory entry disagrees with its local header about the compressed
  // size, read from the local header (see zip_local_member.h). nullopt when they agree,
  // or when the local header gives nothing better: libzip's reader then has its turn.
  std::optional<bool> FromLocalHeader(const zip_stat_t& st, const Provenance& where,
                                      const ChildSink& emit) {
    constexpr zip_uint64_t kNeeded =
        ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC | ZIP_STAT_NAME | ZIP_STAT_INDEX;
    if ((st.valid & kNeeded) != kNeeded || st.name == nullptr ||
        (st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE)) {
      return std::nullopt;
    }
    const std::string_view bytes = blob_.bytes();
    if (!local_index_) local_index_.emplace(bytes, ctx_.limits().max_entries);
    const std::optional<ZipLocalHeader> h = local_index_->Find(st.name);
    if (!h || h->method != st.comp_method) return std::nullopt;
    const std::uint64_t avail = bytes.size() - h->data;
    const bool past_eof = st.comp_size > avail;
    if (!past_eof && !(h->sizes_known() && h->comp != st.comp_size)) return std::nullopt;
    const ExtractLimits& lim = ctx_.limits();
    std::string data;
    std::uint64_t comp = 0;
    if (st.comp_method == ZIP_CM_STORE) {
      comp =
          h->sizes_known() && h->comp <= avail ? h->comp : BytesToNextZipSignature(bytes, h->data);
      if (comp > lim.max_member_bytes) {
        Warn(where, StatusCode::kLimitExceeded,
             "zip: member of " + std::to_string(comp) +
                 " bytes (read from its local header) exceeds the per-member limit of " +
                 std::to_string(lim.max_member_bytes) + "; not extracted");
        return true;
      }
      data.assign(bytes.substr(h->data, comp));
    } else if (!InflateFromLocal(bytes.substr(h->data), std::max<std::uint64_t>(h->size, st.size),
                                 where, data, comp)) {
      return true;
    }
    if (!ctx_.budget().Take(data.size())) {
      Warn(where, StatusCode::kLimitExceeded,
           "zip: total extraction budget exhausted; remaining members not scanned");
      return false;
    }
    if (!data.empty() && (comp == 0 || data.size() / comp > lim.max_ratio)) {
      ctx_.budget().Give(data.size());
      Warn(where, StatusCode::kLimitExceeded,
           "zip: compression ratio " + RatioText(data.size(), comp) +
               " (read from the local header) exceeds the limit of " +
               std::to_string(lim.max_ratio) + " (zip bomb?); not extracted");
      return true;
    }
    const std::uint32_t crc = h->sizes_known() ? h->crc : st.crc;
    const bool crc_ok = ZipInflater::Crc32(data) == crc;
    ctx_.Diagnose(
        where, crc_ok ? DiagnosticLevel::kInfo : DiagnosticLevel::kWarning, StatusCode::kCorrupt,
        "zip: the central directory gives a compressed size of " + std::to_string(st.comp_size) +
            " bytes" + (past_eof ? ", past the end of the archive" : "") +
            ", but the member's local header and data hold " + std::to_string(comp) +
            " bytes (as unzip reads it): read from the local header" +
            (crc_ok ? "" : "; its CRC does not match, scanned anyway"));
    Blob child = Blob::FromString(std::move(data), where);
    child.set_member_index(st.index);
    return emit(std::move(child));
  }

  // Inflates the deflate stream at the start of `from` (which may run on past it) into
  // `out`, growing the buffer from `hint` up to the member and ratio limits; `comp` is
  // the stream's real length. False after a diagnostic when it cannot be read.
  bool InflateFromLocal(std::string_view from, std::uint64_t hint, const Provenance& where,
                        std::string& out, std::uint64_t& comp) {
    const ExtractLimits& lim = ctx_.limits();
    const std::uint64_t ratio_cap = from.size() > lim.max_member_bytes / lim.max_ratio
                                        ? lim.max_member_bytes
                                        : from.size() * lim.max_ratio;
    const std::uint64_t cap = std::min(lim.max_member_bytes, ratio_cap);
    std::uint64_t n = std::min(cap, std::max<std::uint64_t>(hint, kReadChunk));
    std::unique_ptr<libdeflate_decompressor, void (*)(libdeflate_decompressor*)> d(
        libdeflate_alloc_decompressor(), libdeflate_free_decompressor);
    while (d) {
      out.resize(n);
      std::size_t in_used = 0, produced = 0;
      const libdeflate_result rc = libdeflate_deflate_decompress_ex(
          d.get(), from.data(), from.size(), out.data(), n, &in_used, &produced);
      if (rc == LIBDEFLATE_SUCCESS) {
        out.resize(produced);
        comp = in_used;
        return true;
      }
      if (rc != LIBDEFLATE_INSUFFICIENT_SPACE) break;
      if (n >= cap) {
        out.clear();
        Warn(where, StatusCode::kLimitExceeded,
             "zip: member (read from its local header) inflates past the size/ratio limit; "
             "not extracted");
        return false;
      }
      n = std::min(cap, n * 4);
    }
    out.clear();
    Warn(where, StatusCode::kCorrupt,
         "zip: the central directory and the local header disagree on the member's size, and "
         "its data at the local header is not a valid deflate stream; not scanned");
    return false;
  }

  // The libdeflate path for a deflated member whose directory entry gives both sizes
  // and the CRC. nullopt (nothing emitted, budget untouched) hands the member to
  // libzip's streaming reader, which also reports what is wrong with it; otherwise the
  // result is Member()'s.
  std::optional<bool> ReadWhole(zip_t* za, std::uint64_t i, const zip_stat_t& st,
                                const Provenance& where, const ChildSink& emit) {
    constexpr zip_uint64_t kNeeded =
        ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
    if (inflate_ != ZipInflate::kLibdeflate || (st.valid & kNeeded) != kNeeded ||
        st.comp_method != ZIP_CM_DEFLATE || st.size == 0 || st.comp_size > blob_.size()) {
      return std::nullopt;
    }
    const ZipMemberFacts facts{i, st.size, st.comp_size, st.crc, where};
    if (const DeferredChildSink* defer = ctx_.deferred_sink()) return Defer(za, facts, *defer);
    if (!ReadCompressed(za, i, st.comp_size, compressed_)) return std::nullopt;
    if (!ctx_.budget().Take(st.size)) return std::nullopt;  // libzip reads what still fits
    if (!inflater_) inflater_.emplace();
    std::optional<Blob> child = InflateWhole(compressed_, facts, *inflater_, ctx_);
    if (!child) return std::nullopt;
    return emit(std::move(*child));
  }

  // ReadWhole() with the inflating left to the worker that scans the member: only the
  // stream is copied here, and the budget charged, so that members keep their order
  // against the budget and a queued member holds its compressed size, not its size.
  std::optional<bool> Defer(zip_t* za, const ZipMemberFacts& facts,
                            const DeferredChildSink& defer) {
    struct Deferred {
      ZipMemberFacts facts;
      std::string stream;
      Blob archive;  // for libzip's reader, should the stream be damaged
    };
    auto d = std::make_shared<Deferred>();
    if (!ReadCompressed(za, facts.index, facts.comp, d->stream)) return std::nullopt;
    if (!ctx_.budget().Take(facts.size)) return std::nullopt;  // as in ReadWhole()
    d->facts = facts;
    d->archive = blob_;
    return defer(facts.index, d->stream.size(), [d](ExtractContext& ctx) -> std::optional<Blob> {
      ZipInflater inflater;
      if (auto child = InflateWhole(d->stream, d->facts, inflater, ctx)) return child;
      return ZipWalker(d->archive, ctx, ZipInflate::kLibzipOnly).ReadAlone(d->facts);
    });
  }

  // Reads one member with libzip's streaming reader on a handle of its own (libzip
  // handles are not shared between threads): a deferred member whose stream libdeflate
  // could not inflate. An exhausted budget cannot stop the archive from here; the
  // walker's next member sees it too.
  std::optional<Blob> ReadAlone(const ZipMemberFacts& f) {
    std::string why;
    ArchivePtr archive = Open(blob_.bytes(), why);
    if (!archive) {
      Warn(f.where, StatusCode::kCorrupt, "zip: cannot reopen archive (" + why + ")");
      return std::nullopt;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive.get(), f.index, 0, &st) == 0) stat_ = &st;
    std::optional<Blob> child;
    Read(archive.get(), f.index, f.size, f.comp, f.where, [&](Blob b) {
      child = std::move(b);
      return true;
    });
    stat_ = nullptr;
    return child;
  }

  // Copies member i's deflate stream, as stored, into `out`.
  static bool ReadCompressed(zip_t* za, std::uint64_t i, std::uint64_t comp, std::string& out) {
    std::unique_ptr<zip_file_t, ZipFileCloser> f(zip_fopen_index(za, i, ZIP_FL_COMPRESSED));
    if (!f) return false;
    out.resize(comp);
    std::uint64_t got = 0;
    while (got < comp) {
      const zip_int64_t n = zip_fread(f.get(), out.data() + got, comp - got);
      if (n <= 0) return false;
      got += static_cast<std::uint64_t>(n);
    }
    return true;
  }

  static std::string RatioText(std::uint64_t size, std::uint64_t comp) {
    return comp == 0 ? "unbounded" : std::to_string(size / comp) + ":1";
  }

  // Read() gave up on a member (a read error, or more bytes than declared): when the
  // directory entry lied about its compressed size, the local header reads it whole,
  // and the bytes read so far (`partial`, charged to the budget) are dropped.
  std::optional<bool> InsteadFromLocalHeader(const std::string& partial, const Provenance& where,
                                             const ChildSink& emit) {
    if (stat_ == nullptr) return std::nullopt;
    ctx_.budget().Give(partial.size());
    std::optional<bool> done = FromLocalHeader(*stat_, where, emit);
    if (!done) static_cast<void>(ctx_.budget().Take(partial.size()));  // as it was
    return done;
  }

  bool Read(zip_t* za, std::uint64_t i, std::uint64_t declared, std::uint64_t comp,
            const Provenance& where, const ChildSink& emit) {
    std::unique_ptr<zip_file_t, ZipFileCloser> f(zip_fopen_index(za, i, 0));
    if (!f) {
      Warn(where, StatusCode::kCorrupt,
           std::string("zip: cannot open member: ") + zip_strerror(za));
      return true;
    }
    const ExtractLimits& lim = ctx_.limits();
    // Actual bytes may not exceed what the directory declared, nor the limits; comp
    // is nonzero here unless declared is 0.
    std::uint64_t cap = std::min<std::uint64_t>(declared, lim.max_member_bytes);
    if (comp > 0 && comp <= cap / lim.max_ratio) cap = comp * lim.max_ratio;
    std::string data;
    data.reserve(std::min<std::uint64_t>(declared, kReadChunk));
    char buf[kReadChunk];
    bool ok = true;
    while (true) {
      const zip_int64_t got = zip_fread(f.get(), buf, sizeof buf);
      if (got < 0) {
        if (auto done = InsteadFromLocalHeader(data, where, emit)) return *done;
        Warn(where, StatusCode::kCorrupt,
             std::string("zip: read error: ") + zip_file_strerror(f.get()) +
                 "; scanning the bytes read so far");
        break;
      }
      if (got == 0) break;
      const std::uint64_t g = static_cast<std::uint64_t>(got);
      if (data.size() + g > cap) {
        if (auto done = InsteadFromLocalHeader(data, where, emit)) return *done;
        Warn(where, StatusCode::kLimitExceeded,
             "zip: member inflates past its declared size or the size/ratio limit; stopped at " +
                 std::to_string(data.size()) + " bytes");
        break;
      }
      if (!ctx_.budget().Take(g)) {
        Warn(where, StatusCode::kLimitExceeded,
             "zip: total extraction budget exhausted; remaining members not scanned");
        ok = false;
        break;
      }
      data.append(buf, g);
    }
    if (!data.empty()) {
      Blob child = Blob::FromString(std::move(data), where);
      child.set_member_index(i);
      if (!emit(std::move(child))) return false;
    }
    return ok;
  }

  const Blob& blob_;
  ExtractContext& ctx_;
  ZipInflate inflate_;
  std::optional<ZipInflater> inflater_;       // created on the first deflated member
  const zip_stat_t* stat_ = nullptr;          // the member Read() reads, for its fallback
  std::optional<ZipLocalIndex> local_index_;  // built when a directory entry is in doubt
  std::string compressed_;                    // reused: grows to the largest member's stream
};

class ZipExtractor final : public Extractor {
 public:
  explicit ZipExtractor(ZipInflate inflate) : inflate_(inflate) {}
  std::string_view name() const override { return "zip"; }
  bool CanExtract(const Blob& blob) const override {
    if (!IsZipMagic(blob.bytes())) return false;
    // Our own fallback child (archive libzip could not open) must not loop.
    const auto& chain = blob.provenance().chain();
    return chain.empty() || !(chain.back().is_decoding && chain.back().name == kRawStep);
  }
  bool ReplacesParentScan() const override { return true; }
  // Members own their bytes, or share the archive's owner (the unreadable-zip child).
  bool IndependentChildren() const override { return true; }

  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override {
    ZipWalker walker(blob, ctx, inflate_);
    return walker.Run(emit);
  }

 private:
  ZipInflate inflate_;
};

}  // namespace

std::unique_ptr<Extractor> NewZipExtractor(ZipInflate inflate) {
  return std::make_unique<ZipExtractor>(inflate);
}

}  // namespace leakproof::scanner
