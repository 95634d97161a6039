// CRX header parsing (lengths are untrusted: every one is checked against the input).
#include "extract/archive/crx_extractor.h"

#include <algorithm>
#include <memory>

namespace leakproof::scanner {

namespace {

constexpr std::string_view kMagic = "Cr24";

std::uint32_t U32At(std::string_view b, std::size_t at) {
  std::uint32_t v = 0;
  for (int k = 3; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(b[at + k]);
  return v;
}

bool IsZipStart(std::string_view b) {
  return b.size() >= 4 && b[0] == 'P' && b[1] == 'K' &&
         ((b[2] == '\x03' && b[3] == '\x04') || (b[2] == '\x05' && b[3] == '\x06'));
}

class CrxExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "crx"; }
  bool CanExtract(const Blob& blob) const override {
    return blob.bytes().substr(0, kMagic.size()) == kMagic && blob.size() >= 12;
  }
  // The header holds keys and signatures, public by design; the zip is the child.
  bool ReplacesParentScan() const override { return true; }

  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override {
    std::string why;
    const std::uint64_t at = CrxZipOffset(blob.bytes(), why);
    if (at == 0) {
      ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kCorrupt,
                   "crx: " + why + "; scanning its raw bytes instead");
      // The raw child starts past the magic; the step check stops "Cr24Cr24..." inputs
      // from nesting raw children down to the depth limit.
      if (blob.provenance().chain().empty() || blob.provenance().chain().back().name != "crx-raw") {
        const std::size_t skip = std::min(kMagic.size(), blob.size());
        emit(Blob::FromView(blob.bytes().substr(skip), blob.owner(),
                            blob.provenance().Child({"crx-raw", "", true})));
      }
      return Status::Ok();
    }
    emit(Blob::FromView(blob.bytes().substr(at), blob.owner(),
                        blob.provenance().Child({"crx", "", true})));
    return Status::Ok();
  }
};

}  // namespace

std::uint64_t CrxZipOffset(std::string_view b, std::string& why) {
  if (b.size() < 12 || b.substr(0, kMagic.size()) != kMagic) {
    why = "no Cr24 header";
    return 0;
  }
  const std::uint32_t version = U32At(b, 4);
  std::uint64_t at = 0;
  if (version == 2) {
    if (b.size() < 16) {
      why = "CRX2 header cut off";
      return 0;
    }
    at = 16ull + U32At(b, 8) + U32At(b, 12);
  } else if (version == 3) {
    at = 12ull + U32At(b, 8);
  } else {
    why = "unknown CRX version " + std::to_string(version);
    return 0;
  }
  if (at >= b.size()) {
    why = "CRX" + std::to_string(version) + " header runs past the end of the file";
    return 0;
  }
  if (!IsZipStart(b.substr(at))) {
    why = "no zip after the CRX" + std::to_string(version) + " header";
    return 0;
  }
  return at;
}

std::unique_ptr<Extractor> NewCrxExtractor() { return std::make_unique<CrxExtractor>(); }

}  // namespace leakproof::scanner
