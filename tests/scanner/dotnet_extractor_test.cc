// .NET: #US user strings and #Blob UTF-16 constants, Xamarin XALZ (LZ4) assemblies,
// and assembly stores; corrupt inputs give diagnostics, never crashes.
#include "extract/dotnet/dotnet_extractor.h"

#include "extract/dotnet/assembly_store_extractor.h"
#include "extract/dotnet/xalz_extractor.h"
#include "support/decode_builders.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>

namespace lp = leakproof::scanner;
namespace lt = leakproof::testing;

namespace {

constexpr const char* kKey = "sk_live_51Hq8ZkT2vRbX9mPq3LwYc7N";
constexpr const char* kConst = "AIzaSyDn7Qc4Lp2Vx9Rk3Tm8Wb5Hj1Fs6Gz0Ne";

std::string ReadFixture(const char* rel) {
  std::ifstream in(std::string(LEAKPROOF_SOURCE_DIR) + "/tests/data/dotnet/" + rel,
                   std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string Assembly() {
  // #Blob: a const-string constant value (UTF-16LE, preceded by its blob length).
  const std::string blob = std::string(1, '\0') + static_cast<char>(2 * 38) + lt::Utf16(kConst);
  return lt::BuildDotnetAssembly({"hello", kKey}, blob);
}

}  // namespace

TEST_CASE("dotnet: #US strings become labelled segments") {
  lp::Blob dll = lp::Blob::FromString(Assembly(), lp::Provenance("Leaky.dll"));
  lp::DotnetExtractor ex;
  REQUIRE(ex.CanExtract(dll));
  auto run = lt::RunOne(ex, dll);
  CHECK(run.status.ok());
  REQUIRE(run.children.size() == 2);
  const lp::Blob& us = run.children[0];
  CHECK(us.provenance().ToString() == "Leaky.dll!#US");
  CHECK(us.bytes() == std::string("hello\n") + kKey);
  CHECK(*us.SegmentLabelAt(0) == "#US 0x70000001");
  CHECK(*us.SegmentLabelAt(6) == "#US 0x7000000d");  // 1 + (1 + 10 + 1)
  CHECK(run.children[1].provenance().ToString() == "Leaky.dll!#Blob");
  CHECK(run.children[1].bytes() == kConst);

  // Found once each: the UTF-16 view extractor leaves assemblies to this one.
  CHECK(lt::DecodeAndFind(dll, kKey).size() == 1);
  CHECK(lt::DecodeAndFind(dll, kConst).size() == 1);
}

TEST_CASE("dotnet: a real mcs-built assembly") {
  const std::string bytes = ReadFixture("Leaky.dll");
  REQUIRE(bytes.size() > 1000);
  lp::Blob dll = lp::Blob::FromString(bytes, lp::Provenance("Leaky.dll"));
  auto hits = lt::DecodeAndFind(dll, kKey);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].where == "Leaky.dll!#US");
  CHECK(hits[0].label.rfind("#US 0x70", 0) == 0);
  auto hook = lt::DecodeAndFind(dll, "https://hooks.slack.com/services/T04QX7K2M/");
  CHECK(hook.size() == 1);
  auto constant = lt::DecodeAndFind(dll, kConst);
  REQUIRE(constant.size() == 1);
  CHECK(constant[0].where == "Leaky.dll!#Blob");
}

TEST_CASE("dotnet: XALZ round trip") {
  const std::string dll = Assembly();
  lp::Blob xalz = lp::Blob::FromString(lt::BuildXalz(dll, 3), lp::Provenance("Leaky.dll"));
  lp::XalzExtractor ex;
  REQUIRE(ex.CanExtract(xalz));
  auto run = lt::RunOne(ex, xalz);
  CHECK(run.status.ok());
  REQUIRE(run.children.size() == 1);
  CHECK(run.children[0].bytes() == dll);
  CHECK(run.children[0].provenance().ToString() == "Leaky.dll[xalz]");

  auto hits = lt::DecodeAndFind(xalz, kKey);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].where == "Leaky.dll[xalz]!#US");
}

TEST_CASE("dotnet: corrupt and oversized XALZ") {
  lp::XalzExtractor ex;
  std::string x = lt::BuildXalz(Assembly());
  SECTION("truncated block") {
    auto run = lt::RunOne(ex, lp::Blob::FromString(x.substr(0, x.size() / 2), lp::Provenance("a")));
    CHECK(run.status.code() == lp::StatusCode::kCorrupt);
    REQUIRE(run.children.size() == 1);
    CHECK(run.children[0].provenance().ToString() == "a[raw]");
  }
  SECTION("declared size beyond max_member_bytes") {
    lp::ExtractLimits limits;
    limits.max_member_bytes = 100;
    auto run = lt::RunOne(ex, lp::Blob::FromString(x, lp::Provenance("a")), limits);
    CHECK(run.status.code() == lp::StatusCode::kLimitExceeded);
  }
  SECTION("declared size beyond the ratio limit") {
    x[8] = x[9] = x[10] = 0x7f;
    auto run = lt::RunOne(ex, lp::Blob::FromString(x, lp::Provenance("a")));
    CHECK(run.status.code() == lp::StatusCode::kLimitExceeded);
  }
  SECTION("every prefix") {
    for (std::size_t n = 12; n < x.size(); ++n) {
      (void)lt::RunOne(ex, lp::Blob::FromString(x.substr(0, n), lp::Provenance("a")));
    }
  }
}

TEST_CASE("dotnet: assembly stores v1 and v2") {
  const std::string plain = Assembly();
  const std::string packed = lt::BuildXalz(plain);
  SECTION("v2 with names") {
    lp::Blob store = lp::Blob::FromString(
        lt::BuildAssemblyStore({{"Other.dll", plain}, {"Leaky.dll", packed}}, 2),
        lp::Provenance("assemblies.blob"));
    auto run = lt::RunOne(lp::AssemblyStoreExtractor(), store);
    CHECK(run.status.ok());
    REQUIRE(run.children.size() == 2);
    CHECK(run.children[1].provenance().ToString() == "assemblies.blob!Leaky.dll");
    auto hits = lt::DecodeAndFind(store, kKey);
    REQUIRE(hits.size() == 2);
    CHECK(hits[0].where == "assemblies.blob!Other.dll!#US");
    CHECK(hits[1].where == "assemblies.blob!Leaky.dll[xalz]!#US");
  }
  SECTION("v1 without names") {
    lp::Blob store = lp::Blob::FromString(lt::BuildAssemblyStore({{"", packed}}, 1),
                                          lp::Provenance("assemblies.blob"));
    auto hits = lt::DecodeAndFind(store, kKey);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].where == "assemblies.blob!assembly[0][xalz]!#US");
  }
  SECTION("unknown layout: scanned raw, UTF-16 view included") {
    std::string bytes = lt::BuildAssemblyStore({{"Leaky.dll", plain}}, 2);
    bytes[4] = 9;  // version 9
    lp::Blob store = lp::Blob::FromString(bytes, lp::Provenance("assemblies.blob"));
    auto run = lt::RunOne(lp::AssemblyStoreExtractor(), store);
    CHECK(run.status.code() == lp::StatusCode::kUnsupported);
    auto hits = lt::DecodeAndFind(store, kKey);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].where == "assemblies.blob[raw][utf-16le]");
  }
}

TEST_CASE("dotnet: corrupt assemblies are diagnosed, never crash") {
  const std::string dll = Assembly();
  lp::DotnetExtractor ex;
  for (std::size_t n = 0; n < dll.size(); n += 3) {
    lp::Blob b = lp::Blob::FromString(dll.substr(0, n), lp::Provenance("t.dll"));
    if (ex.CanExtract(b)) (void)lt::RunOne(ex, b);
  }
  // A #US entry whose length runs past the heap.
  std::string bad = dll;
  const std::size_t at = bad.find(lt::Utf16("hello"));
  REQUIRE(at != std::string::npos);
  bad[at - 1] = 0x7f;
  auto run = lt::RunOne(ex, lp::Blob::FromString(bad, lp::Provenance("t.dll")));
  CHECK(run.status.code() == lp::StatusCode::kCorrupt);
}
