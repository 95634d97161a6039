// UTF-16 views of binary blobs: LE and BE runs of printable ASCII, fast skipping,
// and formats with their own decoder left alone.
#include "extract/text/utf16_extractor.h"

#include "extract/text/decode_utf16.h"
#include "support/decode_builders.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace lp = leakproof::scanner;
namespace lt = leakproof::testing;

namespace {

constexpr const char* kKey = "AIzaSyC7q3Lk9TzR2vXw8mNbP4yQh6JdFs1gUo";

std::vector<std::pair<std::size_t, std::size_t>> NaiveRuns(std::string_view s, bool be,
                                                           std::size_t min) {
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (std::size_t start = 0; start + 1 < s.size(); ++start) {
    if (!lp::decode::Utf16AsciiAt(b, start, be)) continue;
    if (start >= 2 && lp::decode::Utf16AsciiAt(b, start - 2, be)) continue;  // not maximal
    std::size_t end = start;
    while (end + 1 < s.size() && lp::decode::Utf16AsciiAt(b, end, be)) end += 2;
    if ((end - start) / 2 >= min) out.emplace_back(start, end);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("utf16: a UTF-16LE key in a binary blob is found") {
  const std::string bin = std::string("\x7f\x01\x00\x00\xff", 5) + lt::Utf16(kKey) +
                          std::string("\x00\x00\x13\x37", 4) + lt::Utf16("short");
  lp::Blob blob = lp::Blob::FromString(bin, lp::Provenance("lib.bin"));
  auto run = lt::RunOne(lp::Utf16Extractor(), blob);
  REQUIRE(run.children.size() == 1);
  CHECK(run.children[0].provenance().ToString() == "lib.bin[utf-16le]");
  CHECK(run.children[0].bytes() == kKey);  // "short" is under 8 characters
  CHECK(*run.children[0].SegmentLabelAt(0) == "offset 0x5");

  auto hits = lt::DecodeAndFind(blob, kKey);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].label == "offset 0x5");
}

TEST_CASE("utf16: UTF-16BE only behind a FE FF byte-order mark, at odd offsets too") {
  const std::string body =
      std::string("\x01\x02\x00", 3) + lt::Utf16(kKey, true) + std::string("\x00\x01", 2);
  auto run = lt::RunOne(lp::Utf16Extractor(),
                        lp::Blob::FromString("\xFE\xFF" + body, lp::Provenance("x.strings")));
  REQUIRE(run.children.size() == 1);
  CHECK(run.children[0].provenance().ToString() == "x.strings[utf-16be]");
  CHECK(run.children[0].bytes() == kKey);
  // Without the mark the same bytes are read as UTF-16LE one byte later: one view only,
  // so a key is never reported twice.
  auto le = lt::RunOne(lp::Utf16Extractor(), lp::Blob::FromString(body, lp::Provenance("x.bin")));
  REQUIRE(le.children.size() == 1);
  CHECK(le.children[0].provenance().ToString() == "x.bin[utf-16le]");
}

TEST_CASE("utf16: text blobs and formats with a dedicated decoder are skipped") {
  lp::Utf16Extractor ex;
  auto blob = [](std::string s) { return lp::Blob::FromString(std::move(s), lp::Provenance("x")); };
  CHECK_FALSE(ex.CanExtract(blob(std::string("plain text, no NUL at all ") + kKey)));
  const std::string payload = std::string(1, '\0') + lt::Utf16(kKey);
  CHECK(ex.CanExtract(blob("\x01\x02" + payload)));
  CHECK_FALSE(ex.CanExtract(blob("dex\n035" + payload)));
  CHECK_FALSE(ex.CanExtract(blob(std::string("PK\x03\x04", 4) + payload)));
  CHECK_FALSE(ex.CanExtract(blob("bplist00" + payload)));
  CHECK_FALSE(ex.CanExtract(blob(std::string("\xC6\x1F\xBC\x03\xC1\x03\x19\x1F", 8) + payload)));
  CHECK_FALSE(ex.CanExtract(blob(std::string("\x03\x00\x08\x00", 4) + payload)));
  CHECK_FALSE(ex.CanExtract(blob(std::string("\x02\x00\x0C\x00", 4) + payload)));
  CHECK_FALSE(ex.CanExtract(blob(lt::BuildDotnetAssembly({kKey}))));
}

TEST_CASE("utf16: the skipping run finder agrees with a byte-by-byte loop") {
  std::mt19937 rng(11);
  for (int round = 0; round < 400; ++round) {
    std::string s(rng() % 300, '\0');
    for (char& c : s) {
      const unsigned r = rng() % 10;
      c = r < 4   ? '\0'
          : r < 9 ? static_cast<char>('a' + rng() % 26)
                  : static_cast<char>(rng() & 0xFF);
    }
    for (bool be : {false, true}) {
      for (std::size_t min : {2u, 3u, 8u}) {
        std::vector<std::pair<std::size_t, std::size_t>> got;
        // An exact-size heap copy: ASan would see a one-byte overread, which the
        // std::string's terminating NUL would hide.
        const std::vector<char> buf(s.begin(), s.end());
        const std::string_view exact(buf.data(), buf.size());
        lp::decode::FindUtf16Runs(exact, be, min, [&](std::size_t b, std::size_t e) {
          got.emplace_back(b, e);
          return true;
        });
        CHECK(got == NaiveRuns(s, be, min));
      }
    }
  }
}
