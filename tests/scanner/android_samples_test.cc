// The zip, binary XML, resources.arsc and DEX extractors on the real aapt/smali-built
// samples (samples/android/app.apk, app.xapk): the planted keys come out with their
// labels. Skipped when the samples are not there (they are built by another script).
#include "extract/android/arsc_extractor.h"
#include "extract/android/axml_extractor.h"
#include "extract/android/dex_extractor.h"
#include "extract/archive/zip_extractor.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace lp = leakproof::scanner;

namespace {

struct Walked {
  std::vector<lp::Blob> blobs;
  std::vector<lp::Diagnostic> diagnostics;
};

void Walk(const lp::Blob& blob, lp::ExtractContext& ctx, Walked& out, int depth) {
  static const auto* const kExtractors = [] {
    auto* v = new std::vector<std::unique_ptr<lp::Extractor>>();
    v->push_back(lp::NewZipExtractor());
    v->push_back(lp::NewDexExtractor());
    v->push_back(lp::NewAxmlExtractor());
    v->push_back(lp::NewArscExtractor());
    return v;
  }();
  if (depth > 4) return;
  for (const auto& ex : *kExtractors) {
    if (!ex->CanExtract(blob)) continue;
    (void)ex->Extract(blob, ctx, [&](lp::Blob child) {
      out.blobs.push_back(child);
      Walk(child, ctx, out, depth + 1);
      return true;
    });
  }
}

// The text of the segment labelled `label` in the blob printed as `where`.
std::string SegmentText(const Walked& w, const std::string& where, const std::string& label) {
  for (const auto& b : w.blobs) {
    if (b.provenance().ToString() != where) continue;
    const auto& segs = b.segments();
    for (std::size_t i = 0; i < segs.size(); ++i) {
      if (segs[i].label != label) continue;
      const std::uint64_t end = i + 1 < segs.size() ? segs[i + 1].offset - 1 : b.size();
      return std::string(b.bytes().substr(segs[i].offset, end - segs[i].offset));
    }
  }
  return "<absent>";
}

bool AnyBlobContains(const Walked& w, const std::string& where, std::string_view text) {
  for (const auto& b : w.blobs) {
    if (b.provenance().ToString() == where && b.bytes().find(text) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("real APK and XAPK samples: manifest, arsc and dex keys come out labelled") {
  const auto path = std::filesystem::path(LEAKPROOF_SOURCE_DIR) / "samples/android/app.xapk";
  if (!std::filesystem::exists(path)) {
    WARN("samples/android/app.xapk not built; skipping");
    return;
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  lp::ExtractLimits limits;
  lp::ByteBudget budget(limits.max_total_bytes);
  Walked w;
  lp::ExtractContext ctx(limits, budget, [&](lp::Diagnostic d) { w.diagnostics.push_back(d); });
  Walk(lp::Blob::FromString(bytes, lp::Provenance("app.xapk")), ctx, w, 0);
  CHECK(w.diagnostics.empty());
  const std::string apk = "app.xapk!base.apk";
  CHECK(SegmentText(w, apk + "!AndroidManifest.xml[axml-strings]",
                    "meta-data com.google.android.geo.API_KEY")
            .rfind("com_google_android_geo_API_KEY = AIza", 0) == 0);
  CHECK(SegmentText(w, apk + "!resources.arsc[arsc-strings]", "@string/google_api_key")
            .rfind("google_api_key = AIza", 0) == 0);
  CHECK(SegmentText(w, apk + "!resources.arsc[arsc-strings]", "@string/slack_bot_token")
            .rfind("slack_bot_token = xoxb-", 0) == 0);
  // d8 keeps MailClient.SENDGRID_KEY's value in static_values: the key comes out named.
  CHECK(AnyBlobContains(w, apk + "!classes.dex[dex-strings]", "\nSENDGRID_KEY = SG."));
}
