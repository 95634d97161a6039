// Blob, Provenance and segment labels.
#include "leakproof/scanner/blob.h"

#include <catch2/catch.hpp>

namespace lp = leakproof::scanner;

TEST_CASE("provenance joins members with '!' and decodings in brackets") {
  lp::Provenance p("app.xapk");
  auto child = p.Child({"base.apk", "", false}).Child({"resources.arsc", "@string/k", false});
  CHECK(child.ToString() == "app.xapk!base.apk!resources.arsc");
  CHECK(child.Child({"base64", "", true}).ToString() == "app.xapk!base.apk!resources.arsc[base64]");
  CHECK(child.root() == "app.xapk");
}

TEST_CASE("segmented blob labels each string and keeps strings apart") {
  lp::SegmentedBlobBuilder b;
  b.Add("first", "@string/a");
  b.Add("second", "@string/b");
  lp::Blob blob = std::move(b).Build(lp::Provenance("x.arsc"));
  CHECK(blob.bytes() == "first\nsecond");
  REQUIRE(blob.SegmentLabelAt(0) != nullptr);
  CHECK(*blob.SegmentLabelAt(0) == "@string/a");
  CHECK(*blob.SegmentLabelAt(4) == "@string/a");
  CHECK(*blob.SegmentLabelAt(6) == "@string/b");
  CHECK_FALSE(blob.report_lines());
}
