// Base64: text and containers hidden in base64 are decoded; images, fonts, hashes and
// identifiers are not; nesting is bounded.
#include "extract/text/base64_extractor.h"

#include "extract/text/decode_base64.h"
#include "support/decode_builders.h"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

namespace lp = leakproof::scanner;
namespace lt = leakproof::testing;

namespace {

constexpr const char* kKey = "sk_live_51Hq8ZkT2vRbX9mPq3LwYc7N";

std::string RandomBytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

// The runs a byte-at-a-time loop finds: the reference for the skipping finder.
std::vector<std::pair<std::size_t, std::size_t>> NaiveRuns(std::string_view b, std::size_t min) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t i = 0;
  while (i < b.size()) {
    if (!lp::decode::IsBase64RunChar(static_cast<unsigned char>(b[i]))) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < b.size() && lp::decode::IsBase64RunChar(static_cast<unsigned char>(b[j]))) ++j;
    if (j - i >= min) out.emplace_back(i, j);
    i = j;
  }
  return out;
}

}  // namespace

TEST_CASE("base64: a base64-wrapped .env in a bundle is decoded with its lines") {
  const std::string env =
      std::string("API_URL=https://api.internal.test\nSTRIPE_KEY=") + kKey + "\n";
  const std::string js = "var a=1;\nconst cfg = atob(\"" + lt::Base64Encode(env) + "\");\n";
  lp::Blob blob = lp::Blob::FromString(js, lp::Provenance("bundle.js"));
  auto hits = lt::DecodeAndFind(blob, kKey);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].where == "bundle.js[base64]");
  CHECK(hits[0].line == 2);

  auto run = lt::RunOne(lp::Base64Extractor(), blob);
  REQUIRE(run.children.size() == 1);
  CHECK(run.children[0].provenance().chain().back().detail == "line 2");
}

TEST_CASE("base64: single-line decoded texts go into one segmented child") {
  const std::string js = "h={Authorization:'Basic " +
                         lt::Base64Encode(std::string("user:") + kKey) + "'};\nx='" +
                         lt::Base64Encode("{\"token\":\"tok_9fG2kLm4Qx8Rz7Wp\"}") + "'";
  lp::Blob blob = lp::Blob::FromString(js, lp::Provenance("a.js"));
  auto run = lt::RunOne(lp::Base64Extractor(), blob);
  REQUIRE(run.children.size() == 1);
  const lp::Blob& child = run.children[0];
  CHECK(child.provenance().ToString() == "a.js[base64]");
  CHECK(child.bytes() == std::string("user:") + kKey + "\n{\"token\":\"tok_9fG2kLm4Qx8Rz7Wp\"}");
  REQUIRE(child.SegmentLabelAt(0) != nullptr);
  CHECK(*child.SegmentLabelAt(0) == "base64 at line 1");
  CHECK(*child.SegmentLabelAt(child.size() - 1) == "base64 at line 2");
}

TEST_CASE("base64: images, fonts and random binary are not emitted") {
  const std::string png = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + RandomBytes(600, 1);
  const std::string b64 = lt::Base64Encode(png);
  for (const std::string& js :
       {"i.src=\"data:image/png;base64," + b64 + "\";", "x=\"" + b64 + "\";",
        "@font-face{src:url(data:font/woff2;base64," + lt::Base64Encode(RandomBytes(900, 2)) + ")}",
        "s=\"" + lt::Base64Encode(RandomBytes(48, 3)) + "\""}) {
    auto run = lt::RunOne(lp::Base64Extractor(), lp::Blob::FromString(js, lp::Provenance("a.js")));
    CHECK(run.children.empty());
    CHECK(run.status.ok());
  }
  // Even a text payload is left alone behind data:image/ (an SVG is not where keys live).
  auto run = lt::RunOne(
      lp::Base64Extractor(),
      lp::Blob::FromString("u='data:image/svg+xml;base64," +
                               lt::Base64Encode(std::string("<svg>") + kKey + "</svg>") + "'",
                           lp::Provenance("a.css")));
  CHECK(run.children.empty());
}

TEST_CASE("base64: identifiers, paths and hex hashes are not decoded") {
  const std::string js =
      "webpackChunkSomeVeryLongApplicationNameForTesting.push(1);\n"
      "import('node_modules/some/deeply/nested/path/to/a/module');\n"
      "integrity='9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';\n";
  auto run = lt::RunOne(lp::Base64Extractor(), lp::Blob::FromString(js, lp::Provenance("a.js")));
  CHECK(run.children.empty());
}

TEST_CASE("base64: url-safe alphabet and zip containers") {
  const std::string text = std::string("{\"k\":\"") + kKey + "\",\"pad\":\"?>?>?>?>\"}";
  std::string url = lt::Base64Encode(text);
  for (char& c : url) c = c == '+' ? '-' : c == '/' ? '_' : c;
  auto hits =
      lt::DecodeAndFind(lp::Blob::FromString("t='" + url + "'", lp::Provenance("u.js")), kKey);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].where == "u.js[base64]");

  const std::string zip = std::string("PK\x03\x04", 4) + RandomBytes(100, 4);
  auto run = lt::RunOne(
      lp::Base64Extractor(),
      lp::Blob::FromString("z=\"" + lt::Base64Encode(zip) + "\"", lp::Provenance("z.js")));
  REQUIRE(run.children.size() == 1);
  CHECK(run.children[0].bytes() == zip);
  CHECK_FALSE(run.children[0].report_lines());
}

TEST_CASE("base64: at most two nested base64 decodings") {
  const std::string inner = std::string("STRIPE_KEY=") + kKey;
  const std::string twice = lt::Base64Encode(lt::Base64Encode(inner));
  auto hits =
      lt::DecodeAndFind(lp::Blob::FromString("a='" + twice + "'", lp::Provenance("a.js")), kKey);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].where == "a.js[base64][base64]");

  const std::string thrice = lt::Base64Encode(lt::Base64Encode(lt::Base64Encode(inner)));
  CHECK(lt::DecodeAndFind(lp::Blob::FromString("a='" + thrice + "'", lp::Provenance("a.js")), kKey)
            .empty());
}

TEST_CASE("base64: the budget bounds the output") {
  std::string js;
  for (int i = 0; i < 50; ++i)
    js += "x" + std::to_string(i) + "='" +
          lt::Base64Encode(std::string("k=") + kKey + std::to_string(i)) + "';\n";
  lp::ExtractLimits limits;
  limits.max_total_bytes = 200;
  auto run =
      lt::RunOne(lp::Base64Extractor(), lp::Blob::FromString(js, lp::Provenance("a.js")), limits);
  REQUIRE_FALSE(run.diagnostics.empty());
  CHECK(run.diagnostics[0].code == lp::StatusCode::kLimitExceeded);
  std::size_t total = 0;
  for (const auto& c : run.children) total += c.size();
  CHECK(total <= 200);
}

TEST_CASE("base64: the skipping run finder agrees with a byte-by-byte loop") {
  std::mt19937 rng(7);
  const std::string alphabet = "Ab9+/-_ .=\n\"";
  for (int round = 0; round < 300; ++round) {
    std::string s(rng() % 400, ' ');
    // Long stretches of one kind make runs of every length around the threshold; rarer
    // breaks in odd rounds make runs long enough for the 16-byte tile path (min >= 31).
    const unsigned breaks = round % 2 == 0 ? 8 : 48;
    for (char& c : s) {
      c = (rng() % breaks == 0) ? alphabet[rng() % alphabet.size()] : "aZ0"[rng() % 3];
    }
    for (std::size_t min : {2u, 5u, 30u, 31u, 32u, 40u}) {
      std::vector<std::pair<std::size_t, std::size_t>> got;
      lp::decode::FindBase64Runs(s, min, [&](std::size_t b, std::size_t e) {
        got.emplace_back(b, e);
        return true;
      });
      CHECK(got == NaiveRuns(s, min));
    }
  }
}

TEST_CASE("base64: decoder handles padding, both alphabets and junk") {
  std::string out;
  CHECK(lp::decode::Base64Decode("aGVsbG8=", out));
  CHECK(out == "hello");
  out.clear();
  CHECK(lp::decode::Base64Decode("aGVsbG8", out));
  CHECK(out == "hello");
  out.clear();
  CHECK(lp::decode::Base64Decode("-_-_", out));
  CHECK(out == "\xfb\xff\xbf");
  out.clear();
  CHECK_FALSE(lp::decode::Base64Decode("aGV*bG8", out));
}
