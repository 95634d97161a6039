// AssemblyStoreExtractor, see assembly_store_extractor.h.
#include "extract/dotnet/assembly_store_extractor.h"

#include "extract/text/decode_util.h"

#include <string>
#include <vector>

namespace leakproof::scanner {

namespace {

constexpr std::size_t kHeaderBytes = 20;

std::uint32_t ReadU32(std::string_view b, std::uint64_t off) {
  const auto* p = reinterpret_cast<const unsigned char*>(b.data() + off);
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

bool Fits(std::string_view b, std::uint64_t off, std::uint64_t len) {
  return off <= b.size() && len <= b.size() - off;
}

struct Entry {
  std::string name;
  std::string_view image;
  std::string_view config;
};

// Parses the descriptors; false (with `why`) when the layout does not check out.
bool ParseStore(std::string_view b, std::uint64_t max_entries, std::vector<Entry>& entries,
                std::string& why) {
  const std::uint32_t version = ReadU32(b, 4) & 0xFFFF;
  const std::uint64_t count = ReadU32(b, 8);
  if (count > max_entries) {
    why = "entry count " + std::to_string(count) + " exceeds max_entries";
    return false;
  }
  std::uint64_t desc = 0;
  std::uint64_t stride = 0;
  std::uint64_t field = 0;  // offset of data_offset inside a descriptor
  if (version == 1) {
    desc = kHeaderBytes;
    stride = 24;
  } else if (version == 2 || version == 3) {
    desc = kHeaderBytes + static_cast<std::uint64_t>(ReadU32(b, 16));
    stride = 28;
    field = 4;
  } else {
    why = "unknown version " + std::to_string(version);
    return false;
  }
  if (!Fits(b, desc, count * stride)) {
    why = "descriptor table outside the store";
    return false;
  }
  std::uint64_t names = desc + count * stride;  // v2+: names follow the descriptors
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t d = desc + i * stride + field;
    const std::uint32_t off = ReadU32(b, d), size = ReadU32(b, d + 4);
    const std::uint32_t cfg_off = ReadU32(b, d + 16), cfg_size = ReadU32(b, d + 20);
    if (size == 0 || !Fits(b, off, size)) {
      why = "assembly " + std::to_string(i) + " lies outside the store";
      return false;
    }
    Entry e;
    e.image = b.substr(off, size);
    if (e.image.substr(0, 2) != "MZ" && e.image.substr(0, 4) != "XALZ") {
      why = "assembly " + std::to_string(i) + " is neither a PE image nor XALZ";
      return false;
    }
    if (cfg_off != 0 && cfg_size != 0 && Fits(b, cfg_off, cfg_size)) {
      e.config = b.substr(cfg_off, cfg_size);
    }
    if (version >= 2 && Fits(b, names, 4)) {
      const std::uint32_t len = ReadU32(b, names);
      if (len > 0 && Fits(b, names + 4, len)) {
        e.name = decode::SafeLabel(b.substr(names + 4, len));
        names += 4ull + len;
      } else {
        names = b.size();  // stop reading names; labels fall back to indices
      }
    }
    if (e.name.empty()) e.name = "assembly[" + std::to_string(i) + "]";
    entries.push_back(std::move(e));
  }
  return true;
}

}  // namespace

bool AssemblyStoreExtractor::CanExtract(const Blob& blob) const {
  return blob.size() >= kHeaderBytes && blob.bytes().substr(0, 4) == "XABA" &&
         !decode::IsRawFallback(blob);
}

Status AssemblyStoreExtractor::Extract(const Blob& blob, ExtractContext& ctx,
                                       const ChildSink& emit) const {
  std::vector<Entry> entries;
  std::string why;
  if (!ParseStore(blob.bytes(), ctx.limits().max_entries, entries, why)) {
    (void)emit(decode::RawFallbackChild(blob));
    return Status::Unsupported("assembly-store: layout not recognised (" + why +
                               "); scanned as raw bytes");
  }
  for (const Entry& e : entries) {
    Blob image =
        Blob::FromView(e.image, blob.owner(), blob.provenance().Child({e.name, "", false}));
    image.set_report_lines(false);
    if (!emit(std::move(image))) break;
    if (!e.config.empty() &&
        !emit(Blob::FromView(e.config, blob.owner(),
                             blob.provenance().Child({e.name + ".config", "", false})))) {
      break;
    }
  }
  return Status::Ok();
}

std::unique_ptr<Extractor> NewAssemblyStoreExtractor() {
  return std::make_unique<AssemblyStoreExtractor>();
}

}  // namespace leakproof::scanner
