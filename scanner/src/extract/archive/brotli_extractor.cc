// Streaming brotli decode into the child's buffer, a chunk at a time, each chunk
// admitted by StreamCap before it is kept.
#include "extract/archive/brotli_extractor.h"

#include "extract/archive/stream_cap.h"

#include <brotli/decode.h>
#include <memory>
#include <string>

namespace leakproof::scanner {

namespace {

constexpr std::string_view kFormat = "brotli";
// The decoding step of the raw child of a ".br" file that is not brotli.
constexpr std::string_view kRawStep = "not-brotli";
constexpr std::size_t kOutChunk = 256 * 1024;

struct DecoderCloser {
  void operator()(BrotliDecoderState* s) const { BrotliDecoderDestroyInstance(s); }
};

bool EndsWithBr(std::string_view name) {
  return name.size() > 3 && name.substr(name.size() - 3) == ".br";
}

class BrotliExtractor final : public Extractor {
 public:
  std::string_view name() const override { return kFormat; }
  bool CanExtract(const Blob& blob) const override {
    const auto& chain = blob.provenance().chain();
    return !chain.empty() && !chain.back().is_decoding && EndsWithBr(chain.back().name) &&
           blob.size() > 0;
  }
  bool ReplacesParentScan() const override { return true; }

  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override {
    std::unique_ptr<BrotliDecoderState, DecoderCloser> dec(
        BrotliDecoderCreateInstance(nullptr, nullptr, nullptr));
    if (!dec) return Status::IOError("brotli: cannot create a decoder");
    StreamCap cap(ctx, blob.size());
    const Provenance where = blob.provenance().Child({std::string(kFormat), "", true});
    std::string out;
    std::size_t avail_in = blob.size();
    const auto* next_in = reinterpret_cast<const std::uint8_t*>(blob.bytes().data());
    BrotliDecoderResult result = BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT;
    bool stopped = false;  // by a limit, already diagnosed
    while (result == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) {
      // Decoded straight into the child's buffer (no bounce buffer, no second copy); a
      // chunk is kept only once StreamCap admits it, so the buffer never holds more
      // than one chunk past the limits.
      const std::size_t old = out.size();
      out.resize(old + kOutChunk);
      std::size_t avail_out = kOutChunk;
      auto* next_out = reinterpret_cast<std::uint8_t*>(out.data() + old);
      result = BrotliDecoderDecompressStream(dec.get(), &avail_in, &next_in, &avail_out, &next_out,
                                             nullptr);
      const std::size_t n = kOutChunk - avail_out;
      out.resize(old + n);
      if (n == 0) continue;
      const StreamCap::Verdict v = cap.Admit(old, n);
      if (v != StreamCap::Verdict::kKeep) {
        out.resize(old);
        ctx.Diagnose(where, DiagnosticLevel::kWarning, StatusCode::kLimitExceeded,
                     cap.Why(v, kFormat, out.size()));
        stopped = true;  // keep what fits
        break;
      }
    }
    if (stopped) {
      // diagnosed above
    } else if (result == BROTLI_DECODER_RESULT_ERROR) {
      // Not brotli at all (a plain file named .br) or damaged: what decoded before the
      // error is scanned, and so are the raw bytes, since they may be the real text.
      ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kCorrupt,
                   std::string("brotli: named .br but does not decode (") +
                       BrotliDecoderErrorString(BrotliDecoderGetErrorCode(dec.get())) + " after " +
                       std::to_string(out.size()) +
                       " bytes); scanning those and its raw bytes instead");
      if (!out.empty() && !emit(Blob::FromString(std::move(out), where))) return Status::Ok();
      emit(Blob::FromView(blob.bytes(), blob.owner(),
                          blob.provenance().Child({std::string(kRawStep), "", true})));
      return Status::Ok();
    } else if (result != BROTLI_DECODER_RESULT_SUCCESS) {
      ctx.Diagnose(where, DiagnosticLevel::kWarning, StatusCode::kCorrupt,
                   "brotli: stream cut off after " + std::to_string(out.size()) +
                       " bytes; scanning what was decoded");
    } else if (avail_in > 0) {
      ctx.Diagnose(where, DiagnosticLevel::kWarning, StatusCode::kCorrupt,
                   "brotli: " + std::to_string(avail_in) +
                       " bytes after the end of the stream, not scanned");
    }
    if (!out.empty()) emit(Blob::FromString(std::move(out), where));
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Extractor> NewBrotliExtractor() { return std::make_unique<BrotliExtractor>(); }

}  // namespace leakproof::scanner
