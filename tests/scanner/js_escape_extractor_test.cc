// JS/JSON string escapes: keys hidden behind \/ \uXXXX \xXX are unescaped; bundles
// full of plain \n and \" escapes produce nothing.
#include "extract/js/js_escape_extractor.h"

#include "support/decode_builders.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace lp = leakproof::scanner;
namespace lt = leakproof::testing;

namespace {

std::vector<std::string> Kept(std::string_view js) {
  std::vector<std::string> out;
  lp::ForEachEscapedLiteral(js, [&](const lp::EscapedLiteral& lit) {
    if (lit.worth_scanning) out.push_back(lit.text);
    return true;
  });
  return out;
}

}  // namespace

TEST_CASE("js-escape: an escaped Slack webhook URL is unescaped") {
  const std::string js =
      "var a = 1;\n"
      "var b = \"plain\";\n"
      "var hook = \"https:\\/\\/hooks.slack.com\\/services\\/T04QX7K2M\\/B05RT8N3P6V\\/"
      "kq7Zr2Wm9XvB4nTy6Lp3Hd8s\";\n";
  const std::string url =
      "https://hooks.slack.com/services/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";
  lp::Blob blob = lp::Blob::FromString(js, lp::Provenance("app.js"));
  auto hits = lt::DecodeAndFind(blob, url);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].where == "app.js[js-unescape]");
  CHECK(hits[0].label == "line 3");
}

TEST_CASE("js-escape: \\u, \\x, \\u{} and surrogate pairs") {
  CHECK(Kept(R"(k="\u0073k_live_51Hq8ZkT2vRbX9mPq3LwYc7N")") ==
        std::vector<std::string>{"sk_live_51Hq8ZkT2vRbX9mPq3LwYc7N"});
  CHECK(Kept(R"(k='\x41IzaSyC7q3Lk9TzR2vXw8mNbP4yQh6JdFs1gUo')") ==
        std::vector<std::string>{"AIzaSyC7q3Lk9TzR2vXw8mNbP4yQh6JdFs1gUo"});
  CHECK(Kept(R"(k=`\u{67}hp_Rk2Lm8Qz4Xw9Tb6Nc3Vy7Hs1Jd5Fg0Pa2Ke`)") ==
        std::vector<std::string>{"ghp_Rk2Lm8Qz4Xw9Tb6Nc3Vy7Hs1Jd5Fg0Pa2Ke"});
  CHECK(Kept(R"(e="smile \uD83D\uDE00 and Schl\xFCssel key")") ==
        std::vector<std::string>{"smile \xF0\x9F\x98\x80 and Schl\xC3\xBCssel key"});
  // Escaped quotes stay inside the literal.
  CHECK(Kept(R"(q="say \"hi\" to \u0041IzaSyKeyBehindQuotes", r="x")") ==
        std::vector<std::string>{"say \"hi\" to AIzaSyKeyBehindQuotes"});
}

TEST_CASE("js-escape: plain newline/quote escapes and short literals are not kept") {
  std::string bundle;
  for (int i = 0; i < 100; ++i) {
    bundle += "eval(\"var m" + std::to_string(i) + " = \\\"x\\\";\\nconsole.log(m);\\n\");\n";
  }
  bundle += "s='<\\/a>'; r=/\\d+\\.\\w/; t='\\x41b';\n";
  CHECK(Kept(bundle).empty());
  auto run =
      lt::RunOne(lp::JsEscapeExtractor(), lp::Blob::FromString(bundle, lp::Provenance("b.js")));
  CHECK(run.children.empty());
}

TEST_CASE("js-escape: double escaping (webpack eval) is undone in two passes") {
  const std::string js =
      R"(eval("var k = \"\\u0073k_live_51Hq8ZkT2vRbX9mPq3LwYc7N\";\n//# sourceURL=x");)";
  auto hits = lt::DecodeAndFind(lp::Blob::FromString(js, lp::Provenance("dev.js")),
                                "sk_live_51Hq8ZkT2vRbX9mPq3LwYc7N");
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].where == "dev.js[js-unescape][js-unescape]");
}

TEST_CASE("js-escape: malformed and truncated escapes never crash") {
  for (std::string js :
       {"\"\\", "\"\\u12", "\"\\x4", "\\u{110000}", "'\\u{", "\\uD800\\u", "\"a\\\n", "\\\\\\\\\\",
        "`\\u{1F600}`", "'\\uDBFF\\uDFFF' + \"\\uDC00\""}) {
    (void)Kept(js);
    auto run = lt::RunOne(lp::JsEscapeExtractor(), lp::Blob::FromString(js, lp::Provenance("x")));
    CHECK(run.status.ok());
  }
  // A lone surrogate becomes U+FFFD, not invalid UTF-8.
  CHECK(Kept(R"(x="\uD800 is a lone surrogate here")") ==
        std::vector<std::string>{"\xEF\xBF\xBD is a lone surrogate here"});
}

TEST_CASE("js-escape: source maps and binary blobs are left to their own extractors") {
  lp::JsEscapeExtractor ex;
  CHECK_FALSE(ex.CanExtract(lp::Blob::FromString(
      R"({"version":3,"sources":["a"],"sourcesContent":["x\/y"],"mappings":""})",
      lp::Provenance("m"))));
  CHECK_FALSE(
      ex.CanExtract(lp::Blob::FromString(std::string("a\0\\u0041", 8), lp::Provenance("b"))));
}
