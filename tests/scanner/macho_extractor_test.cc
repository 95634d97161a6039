// Mach-O extractors: fat files split into one child per architecture, Java class
// files are not mistaken for fat files, FairPlay-encrypted binaries are reported as
// not scannable, __ustring (UTF-16) is decoded, corrupt headers are diagnosed.
#include "extract/native/macho_extractor.h"

#include "extract/native/macho_fat_extractor.h"
#include "support/native_builders.h"
#include "support/native_extract_run.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

namespace lp = leakproof::scanner;
namespace nt = leakproof::native_testing;
using nt::RunNative;

namespace {

constexpr char kKey[] = "AIzaSyC4rT9wLq2mZx7VbN3kP8sJd5HfGy1UeA6";
constexpr char kToken[] = "ghp_Zr8Qm3Xv6Tb1Nk9Ws4Hy7Lc2Jf5Pd0Ga3Ue8";

lp::Blob Bin(std::string bytes, const char* name = "Leaky") {
  return lp::Blob::FromString(std::move(bytes), lp::Provenance(name));
}

std::string UstringSection() {
  std::u16string first = u"Schl\u00fcssel ";
  first += nt::U16(kToken);
  std::string bytes = nt::Utf16Le(first);
  bytes.append(2, '\0');
  bytes += nt::Utf16Le(u"\u00e9t\u00e9");
  bytes.append(2, '\0');
  return bytes;
}

std::string ThinWithKeys(std::optional<std::uint32_t> cryptid = std::nullopt) {
  return nt::BuildMacho64({{"__TEXT", "__text", std::string(64, '\x1f')},
                           {"__TEXT", "__cstring", std::string(kKey) + '\0'},
                           {"__TEXT", "__ustring", UstringSection()}},
                          cryptid);
}

}  // namespace

TEST_CASE("thin Mach-O: __ustring strings are decoded one per segment") {
  auto ex = lp::NewMachoExtractor();
  lp::Blob blob = Bin(ThinWithKeys());
  REQUIRE(ex->CanExtract(blob));
  CHECK_FALSE(ex->ReplacesParentScan());
  auto run = RunNative(*ex, blob);
  CHECK(run.status.ok());
  CHECK(run.diagnostics.empty());
  REQUIRE(run.children.size() == 1);
  const lp::Blob* u = run.Child("Leaky[utf-16le]");
  REQUIRE(u != nullptr);
  CHECK(nt::SegmentText(*u, "__TEXT,__ustring+0x0") == std::string("Schl\xC3\xBCssel ") + kToken);
  CHECK(nt::LabelAt(*u, kToken) == "__TEXT,__ustring+0x0");
  CHECK(nt::LabelAt(*u, "\xC3\xA9t\xC3\xA9") != "<absent>");
  // __cstring is left to the raw scan of the parent (no duplicate findings).
  CHECK(u->bytes().find(kKey) == std::string_view::npos);
}

TEST_CASE("encrypted Mach-O is reported as not scannable") {
  auto run = RunNative(*lp::NewMachoExtractor(), Bin(ThinWithKeys(1)));
  REQUIRE(run.diagnostics.size() == 1);
  CHECK(run.diagnostics[0].level == lp::DiagnosticLevel::kWarning);
  CHECK(run.diagnostics[0].code == lp::StatusCode::kUnsupported);
  CHECK(run.diagnostics[0].message ==
        "encrypted App Store binary: not scannable (decrypt it first)");
  CHECK(run.diagnostics[0].location == "Leaky");
  CHECK(run.children.empty());  // the encrypted __ustring is ciphertext, not emitted

  auto clear = RunNative(*lp::NewMachoExtractor(), Bin(ThinWithKeys(0)));
  CHECK(clear.diagnostics.empty());  // cryptid 0: a decrypted dump
  CHECK(clear.children.size() == 1);
}

TEST_CASE("fat Mach-O gives one child per architecture slice") {
  auto fat_ex = lp::NewMachoFatExtractor();
  const std::string arm = ThinWithKeys();
  const std::string x86 = nt::BuildMacho64({{"__TEXT", "__cstring", std::string(kKey) + '\0'}});
  const std::string fat = nt::BuildFatMacho(
      {{0x0100000C, 0, arm}, {0x01000007, 3, x86}, {0x0100000C, 2, arm}, {12, 9, x86}});
  lp::Blob blob = Bin(fat);
  REQUIRE(fat_ex->CanExtract(blob));
  CHECK(fat_ex->ReplacesParentScan());
  CHECK_FALSE(lp::NewMachoExtractor()->CanExtract(blob));
  auto run = RunNative(*fat_ex, blob);
  CHECK(run.status.ok());
  REQUIRE(run.children.size() == 4);
  REQUIRE(run.Child("Leaky!arm64") != nullptr);
  CHECK(run.Child("Leaky!arm64")->bytes() == arm);
  REQUIRE(run.Child("Leaky!x86_64") != nullptr);
  CHECK(run.Child("Leaky!x86_64")->bytes() == x86);
  CHECK(run.Child("Leaky!arm64e") != nullptr);
  CHECK(run.Child("Leaky!armv7") != nullptr);
  // Each slice is itself a thin Mach-O for the next extractor.
  CHECK(lp::NewMachoExtractor()->CanExtract(*run.Child("Leaky!arm64")));
}

TEST_CASE("same-architecture slices get distinct names") {
  const std::string s = nt::BuildMacho64({});
  auto run = RunNative(*lp::NewMachoFatExtractor(),
                       Bin(nt::BuildFatMacho({{0x0100000C, 0, s}, {0x0100000C, 0, s}})));
  CHECK(run.Child("Leaky!arm64") != nullptr);
  CHECK(run.Child("Leaky!arm64#2") != nullptr);
}

TEST_CASE("Java class files (also 0xCAFEBABE) are not taken for fat Mach-O") {
  auto fat_ex = lp::NewMachoFatExtractor();
  // magic, minor 0, major 52 (Java 8): reads as nfat_arch = 52.
  std::string cls("\xCA\xFE\xBA\xBE\x00\x00\x00\x34", 8);
  cls += std::string("\x00\x1d\x0a\x00\x06\x00\x0f\x09\x00\x10", 10);
  cls.resize(2000, 'x');
  CHECK_FALSE(fat_ex->CanExtract(Bin(cls, "A.class")));
  // Minor 0, major 3 (a small count) still fails: the "slices" are not Mach-O.
  std::string small("\xCA\xFE\xBA\xBE\x00\x00\x00\x03", 8);
  small.resize(2000, '\x01');
  CHECK_FALSE(fat_ex->CanExtract(Bin(small, "B.class")));
}

TEST_CASE("corrupt Mach-O headers give diagnostics, never crashes") {
  auto ex = lp::NewMachoExtractor();
  const std::string good = ThinWithKeys(1);
  SECTION("truncated to every length") {
    for (std::size_t n = 0; n < good.size(); ++n) {
      lp::Blob blob = Bin(good.substr(0, n));
      if (!ex->CanExtract(blob)) continue;
      auto run = RunNative(*ex, blob);
      if (n < 32 + 72 + 3 * 80 + 24) CHECK_FALSE(run.status.ok());
    }
  }
  SECTION("load command size zero") {
    std::string bad = good;
    bad[32 + 4] = bad[32 + 5] = bad[32 + 6] = bad[32 + 7] = 0;
    auto run = RunNative(*ex, Bin(bad));
    CHECK(run.status.code() == lp::StatusCode::kCorrupt);
  }
  SECTION("huge section count") {
    std::string bad = good;
    bad[32 + 64] = '\xff';
    bad[32 + 65] = '\xff';
    auto run = RunNative(*ex, Bin(bad));
    CHECK(run.status.code() == lp::StatusCode::kCorrupt);
  }
  SECTION("every byte flipped") {
    for (std::size_t i = 0; i < 400 && i < good.size(); ++i) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ 0x5A);
      lp::Blob blob = Bin(bad);
      if (ex->CanExtract(blob)) (void)RunNative(*ex, blob);
    }
  }
  SECTION("fat header pointing past the end is not a fat file") {
    std::string fat = nt::BuildFatMacho({{0x0100000C, 0, good}});
    fat.resize(fat.size() - 10);
    CHECK_FALSE(lp::NewMachoFatExtractor()->CanExtract(Bin(fat)));
  }
}

TEST_CASE("real clang Mach-O objects: __ustring of an ObjC literal, and a fat file") {
  const auto read = [](const char* rel) {
    std::ifstream in(std::string(LEAKPROOF_SOURCE_DIR) + "/" + rel, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  const std::string obj = read("tests/fuzz/corpus/macho/objc_ustring_arm64.o");
  REQUIRE(!obj.empty());
  auto run = RunNative(*lp::NewMachoExtractor(), Bin(obj, "objc.o"));
  CHECK(run.status.ok());
  const lp::Blob* u = run.Child("objc.o[utf-16le]");
  REQUIRE(u != nullptr);
  CHECK(nt::LabelAt(*u, kToken) == "__TEXT,__ustring+0x0");

  const std::string fat = read("tests/fuzz/corpus/macho/objc_fat.o");
  auto fat_run = RunNative(*lp::NewMachoFatExtractor(), Bin(fat, "objc_fat.o"));
  CHECK(fat_run.Child("objc_fat.o!arm64") != nullptr);
  CHECK(fat_run.Child("objc_fat.o!x86_64") != nullptr);
}
