// Source maps: original sources from sourcesContent, named by their path, with lines;
// inline (base64 data: URI) maps; malformed maps diagnosed, their raw bytes still scanned.
#include "extract/js/sourcemap_extractor.h"

#include "extract/js/inline_sourcemap_extractor.h"
#include "support/decode_builders.h"

#include <catch2/catch.hpp>

#include <string>

namespace lp = leakproof::scanner;
namespace lt = leakproof::testing;

namespace {

constexpr const char* kKey = "sk_live_51Hq8ZkT2vRbX9mPq3LwYc7N";

// sourcesContent[0]: the key sits on line 12, in a comment the minifier dropped.
std::string ClientSource() {
  std::string src;
  for (int i = 1; i <= 11; ++i) src += "// line " + std::to_string(i) + "\n";
  src += std::string("// old: const stripe = \"") + kKey + "\";\n";
  src += "export const ok = 1;\n";
  return src;
}

// `text` as a JSON string literal (only what the sources above need).
std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string MapJson() {
  return std::string(
             R"({"version":3,"sources":["webpack:///./src/api/client.ts","src/empty.js"],)") +
         R"("sourcesContent":[)" + JsonString(ClientSource()) +
         R"(,null],"mappings":"AAAA,SAASA","names":["ok","stripeSecretKeyFromTheOldConfig"]})";
}

}  // namespace

TEST_CASE("sourcemap: a key only in sourcesContent is reported in the original file and line") {
  lp::Blob map = lp::Blob::FromString(MapJson(), lp::Provenance("main.js.map"));
  REQUIRE(lp::SourceMapExtractor().CanExtract(map));
  auto hits = lt::DecodeAndFind(map, kKey);
  REQUIRE(hits.size() == 1);  // not again from the escaped raw map
  CHECK(hits[0].where == "main.js.map!src/api/client.ts");
  CHECK(hits[0].line == 12);
}

TEST_CASE("sourcemap: children, names segment and null entries") {
  lp::Blob map = lp::Blob::FromString(MapJson(), lp::Provenance("main.js.map"));
  auto run = lt::RunOne(lp::SourceMapExtractor(), map);
  CHECK(run.status.ok());
  REQUIRE(run.children.size() == 2);  // client.ts (null entry skipped) + names
  CHECK(run.children[0].bytes() == ClientSource());
  CHECK(run.children[0].report_lines());
  CHECK(run.children[1].provenance().ToString() == "main.js.map!names");
  CHECK(run.children[1].bytes() == "stripeSecretKeyFromTheOldConfig");  // "ok" is too short
  REQUIRE(run.children[1].SegmentLabelAt(0) != nullptr);
  CHECK(*run.children[1].SegmentLabelAt(0) == "names[1]");
}

TEST_CASE("sourcemap: detection is by content") {
  lp::SourceMapExtractor ex;
  auto blob = [](std::string s) { return lp::Blob::FromString(std::move(s), lp::Provenance("x")); };
  CHECK(ex.CanExtract(blob("  \n{\"version\":3,\"sources\":[],\"mappings\":\"\"}")));
  CHECK(ex.CanExtract(blob("{\"version\":3,\"sections\":[]}")));
  CHECK_FALSE(ex.CanExtract(blob("{\"name\":\"pkg\",\"version\":\"1.0.0\"}")));
  CHECK_FALSE(ex.CanExtract(blob("var x = {\"version\":3,\"sources\":[]};")));
}

TEST_CASE("sourcemap: source paths are normalised") {
  CHECK(lp::NormalizeSourcePath("", "webpack:///./src/api/client.ts") == "src/api/client.ts");
  CHECK(lp::NormalizeSourcePath("", "webpack://my-app/./src/a.ts") == "my-app/src/a.ts");
  CHECK(lp::NormalizeSourcePath("", "./src/a.js") == "src/a.js");
  CHECK(lp::NormalizeSourcePath("", "../node_modules/x/index.js") == "../node_modules/x/index.js");
  CHECK(lp::NormalizeSourcePath("app/", "src/a.js") == "app/src/a.js");
  CHECK(lp::NormalizeSourcePath("app", "./src/a.js") == "app/src/a.js");
  CHECK(lp::NormalizeSourcePath("app", "/abs/a.js") == "/abs/a.js");
  CHECK(lp::NormalizeSourcePath("app", "https://cdn.example.org/a.js") ==
        "https://cdn.example.org/a.js");
}

TEST_CASE("sourcemap: index maps with embedded sections") {
  const std::string inner =
      R"({"version":3,"sourceRoot":"lib","sources":["k.js"],"sourcesContent":[)" +
      JsonString(std::string("x\nconst k = '") + kKey + "';\n") + R"(],"mappings":"AAAA"})";
  const std::string index =
      R"({"version":3,"sections":[{"offset":{"line":0,"column":0},"map":)" + inner + "}]}";
  auto hits = lt::DecodeAndFind(lp::Blob::FromString(index, lp::Provenance("all.js.map")), kKey);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].where == "all.js.map!lib/k.js");
  CHECK(hits[0].line == 2);
}

TEST_CASE("sourcemap: inline base64 map is decoded, then split into its sources") {
  const std::string js =
      "console.log(1);\n//# sourceMappingURL=data:application/json;charset=utf-8;base64," +
      lt::Base64Encode(MapJson()) + "\n";
  lp::Blob blob = lp::Blob::FromString(js, lp::Provenance("main.inline.js"));
  auto run = lt::RunOne(lp::InlineSourceMapExtractor(), blob);
  REQUIRE(run.children.size() == 1);
  CHECK(run.children[0].bytes() == MapJson());
  CHECK(run.children[0].provenance().ToString() == "main.inline.js[sourcemap]");

  auto hits = lt::DecodeAndFind(blob, kKey);
  REQUIRE(hits.size() == 1);  // the base64 extractor leaves the inline map alone
  CHECK(hits[0].where == "main.inline.js[sourcemap]!src/api/client.ts");
  CHECK(hits[0].line == 12);
}

TEST_CASE("sourcemap: malformed maps are diagnosed and scanned raw") {
  const std::string bad =
      std::string(R"({"version":3,"sources":["a.js"],"sourcesContent":[")") + kKey + R"(", oops)";
  lp::Blob blob = lp::Blob::FromString(bad, lp::Provenance("bad.js.map"));
  auto run = lt::RunOne(lp::SourceMapExtractor(), blob);
  CHECK(run.status.code() == lp::StatusCode::kCorrupt);
  CHECK(run.children.empty());
  auto hits = lt::DecodeAndFind(blob, kKey);
  REQUIRE(hits.size() == 1);  // the raw map itself is always scanned
  CHECK(hits[0].where == "bad.js.map");

  // Valid JSON of the wrong shape: no diagnostic, no children.
  const std::string odd = R"({"version":3,"sources":1,"sourcesContent":{"a":2},"mappings":[]})";
  auto run2 = lt::RunOne(lp::SourceMapExtractor(), lp::Blob::FromString(odd, lp::Provenance("o")));
  CHECK(run2.status.ok());
  CHECK(run2.children.empty());

  // Truncations of a valid map at every length never crash.
  const std::string map = MapJson();
  for (std::size_t n = 0; n < map.size(); n += 7) {
    (void)lt::RunOne(lp::SourceMapExtractor(),
                     lp::Blob::FromString(map.substr(0, n), lp::Provenance("t")));
  }
}
