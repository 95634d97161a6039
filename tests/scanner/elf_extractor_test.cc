// ELF extractor: an ordinary .so yields nothing (the raw scan covers it); a Flutter
// libapp.so yields its Dart snapshot's UTF-16LE strings decoded to UTF-8.
#include "extract/native/elf_extractor.h"

#include "support/native_builders.h"
#include "support/native_extract_run.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

namespace lp = leakproof::scanner;
namespace nt = leakproof::native_testing;
using nt::RunNative;

namespace {

constexpr char kToken[] = "ghp_Zr8Qm3Xv6Tb1Nk9Ws4Hy7Lc2Jf5Pd0Ga3Ue8";

lp::Blob So(std::string bytes, const char* name = "base.apk!lib/arm64-v8a/libapp.so") {
  return lp::Blob::FromString(std::move(bytes), lp::Provenance(name));
}

// Snapshot-like data: one-byte strings, binary noise, and a TwoByteString.
std::string SnapshotData() {
  std::string data = "\x01\x02\x03\x04plain one-byte string\x00\x00\x00";
  data.resize(64, '\xff');
  std::u16string two = u"\u2603 Schl\u00fcssel ";
  two += nt::U16(kToken);
  data += nt::Utf16Le(two);
  data += std::string("\x00\x00\xff\xfe\x11\x22\x33\x44", 8);
  data += nt::Utf16Le(u"short");  // under the 8-character run minimum
  data.append(16, '\0');
  return data;
}

}  // namespace

TEST_CASE("Flutter libapp.so: UTF-16LE strings of the snapshot are decoded") {
  auto ex = lp::NewElfExtractor();
  const std::string data = SnapshotData();
  std::string rodata = std::string(32, '\0') + data;
  lp::Blob blob = So(nt::BuildElf64(
      rodata, {{"_kDartVmSnapshotData", 0, 32}, {"_kDartIsolateSnapshotData", 32, data.size()}}));
  REQUIRE(ex->CanExtract(blob));
  CHECK_FALSE(ex->ReplacesParentScan());
  auto run = RunNative(*ex, blob);
  CHECK(run.status.ok());
  const lp::Blob* u = run.Child("base.apk!lib/arm64-v8a/libapp.so[utf-16le]");
  REQUIRE(u != nullptr);
  CHECK(nt::LabelAt(*u, kToken) == "_kDartIsolateSnapshotData+0x40");
  CHECK(u->bytes().find("Schl\xC3\xBCssel") != std::string_view::npos);
  CHECK(u->bytes().find("short") == std::string_view::npos);
  CHECK(u->bytes().find("plain") == std::string_view::npos);
}

TEST_CASE("ordinary .so: nothing emitted") {
  auto ex = lp::NewElfExtractor();
  auto run = RunNative(
      *ex, So(nt::BuildElf64(nt::Utf16Le(nt::U16(kToken)), {{"get_key", 0, 8}}), "libkeys.so"));
  CHECK(run.status.ok());
  CHECK(run.children.empty());
  CHECK(run.diagnostics.empty());
}

TEST_CASE("corrupt ELF headers give a status, never a crash") {
  auto ex = lp::NewElfExtractor();
  const std::string data = SnapshotData();
  const std::string good = nt::BuildElf64(data, {{"_kDartIsolateSnapshotData", 0, 0}});
  auto run = RunNative(*ex, So(good));
  CHECK(run.children.size() == 1);  // size 0: runs to the end of .rodata
  for (std::size_t n = 52; n < good.size(); n += 7) {
    lp::Blob blob = So(good.substr(0, n));
    if (ex->CanExtract(blob)) (void)RunNative(*ex, blob);
  }
  for (std::size_t i = 16; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0xC3);
    (void)RunNative(*ex, So(bad));
  }
  std::string bad = good;
  bad[40] = '\x7f';  // e_shoff far past the end
  bad[46] = '\x7f';
  CHECK(RunNative(*ex, So(bad)).status.code() == lp::StatusCode::kCorrupt);
  CHECK_FALSE(
      ex->CanExtract(So("\x7f"
                        "ELF")));
}

TEST_CASE("real clang/lld .so exporting Dart snapshot symbols") {
  std::ifstream in(std::string(LEAKPROOF_SOURCE_DIR) + "/tests/fuzz/corpus/elf/libapp_min.so",
                   std::ios::binary);
  std::string so((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(!so.empty());
  auto run = RunNative(*lp::NewElfExtractor(), So(so, "libapp.so"));
  CHECK(run.status.ok());
  const lp::Blob* u = run.Child("libapp.so[utf-16le]");
  REQUIRE(u != nullptr);
  CHECK(nt::LabelAt(*u, kToken).rfind("_kDartIsolateSnapshotData+0x", 0) == 0);
}
