#include "extract/archive/asar_extractor.h"

#include "extract/archive/asar_header.h"

#include <algorithm>
#include <memory>

namespace leakproof::scanner {

namespace {

class AsarExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "asar"; }
  bool CanExtract(const Blob& blob) const override { return LooksLikeAsar(blob.bytes()); }
  // Every stored byte belongs to some file, and each is emitted; the header is JSON of
  // names and sizes.
  bool ReplacesParentScan() const override { return true; }
  // Children are views sharing the archive's owner.
  bool IndependentChildren() const override { return true; }

  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override {
    AsarHeader header;
    std::string why;
    if (!ParseAsarHeader(blob.bytes(), ctx.limits().max_entries, header, why)) {
      ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kCorrupt,
                   "asar: " + why + "; scanning its raw bytes instead");
      // Past the magic, so the raw child is not taken for an asar again.
      const std::size_t skip = std::min<std::size_t>(4, blob.size());
      emit(Blob::FromView(blob.bytes().substr(skip), blob.owner(),
                          blob.provenance().Child({"unreadable-asar", "", true})));
      return Status::Ok();
    }
    for (const std::string& p : header.problems) {
      ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kCorrupt,
                   "asar: " + p + "; entry not scanned");
    }
    if (header.truncated) {
      ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kLimitExceeded,
                   "asar: more than " + std::to_string(ctx.limits().max_entries) +
                       " files; the rest are skipped");
    }
    std::uint64_t index = 0;
    for (const AsarFile& f : header.files) {
      const std::uint64_t i = index++;
      if (f.unpacked || f.size == 0) continue;
      Blob child = Blob::FromView(blob.bytes().substr(f.offset, f.size), blob.owner(),
                                  blob.provenance().Child({f.path, "", false}));
      child.set_member_index(i);
      if (!emit(std::move(child))) break;
    }
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Extractor> NewAsarExtractor() { return std::make_unique<AsarExtractor>(); }

}  // namespace leakproof::scanner
