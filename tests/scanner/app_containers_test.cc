// Containers leakproof parses itself: Chrome .crx headers, Electron .asar archives and
// container images (docker save / OCI layout, with the image config's ENV). Built the
// way the real tools build them (zip, tar, sha256sum, the asar format as documented),
// scanned end to end: keys found with their provenance, damage diagnosed.
#include "leakproof/scanner/scanner.h"

#include "extract/archive/asar_header.h"
#include "extract/archive/crx_extractor.h"
#include "extract/archive/image_config_extractor.h"
#include "extract/archive/image_layers.h"
#include "support/scan_run.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

namespace lp = leakproof::scanner;
using leakproof::testing::DiagnosticLines;
using leakproof::testing::FoundUnder;
using leakproof::testing::ReadWholeFile;
using leakproof::testing::RunShellIn;
using leakproof::testing::ScanWithTestRules;
using leakproof::testing::TempDir;
using leakproof::testing::TestKey;

namespace {

void WriteFile(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

std::string U32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int k = 0; k < 4; ++k) s[k] = static_cast<char>((v >> (8 * k)) & 0xff);
  return s;
}

struct AsarMember {
  std::string dir;  // "" or "dist"
  std::string name;
  std::string bytes;
  bool unpacked = false;
};

// An .asar as @electron/asar writes it (see asar_header.h): pickled header size, the
// header pickle with the JSON tree, then the file bytes back to back.
std::string BuildAsar(const std::vector<AsarMember>& members, const std::string& extra = "") {
  std::map<std::string, std::string> dirs;  // dir -> its "files" JSON members
  std::string data;
  for (const auto& m : members) {
    std::string entry = "\"" + m.name + "\":{\"size\":" + std::to_string(m.bytes.size());
    if (m.unpacked) {
      entry += ",\"unpacked\":true}";
    } else {
      entry += ",\"offset\":\"" + std::to_string(data.size()) + "\"}";
      data += m.bytes;
    }
    std::string& list = dirs[m.dir];
    if (!list.empty()) list += ",";
    list += entry;
  }
  std::string top = dirs[""];
  for (const auto& [dir, list] : dirs) {
    if (dir.empty()) continue;
    if (!top.empty()) top += ",";
    top += "\"" + dir + "\":{\"files\":{" + list + "}}";
  }
  if (!extra.empty()) top += (top.empty() ? "" : ",") + extra;
  std::string json = "{\"files\":{" + top + "}}";
  std::string pickle = U32(0) + U32(static_cast<std::uint32_t>(json.size())) + json;
  while (pickle.size() % 4 != 0) pickle += '\0';
  const std::string payload = U32(static_cast<std::uint32_t>(pickle.size() - 4));
  pickle.replace(0, 4, payload);
  return U32(4) + U32(static_cast<std::uint32_t>(pickle.size())) + pickle + data;
}

}  // namespace

TEST_CASE("crx2 and crx3 extensions: the zip after the header is opened") {
  TempDir d;
  std::uint32_t seed = 1811;
  const std::string key = TestKey(seed);
  d.Write("ext/manifest.json", R"({"manifest_version":3,"name":"x","version":"1"})");
  d.Write("ext/background.js", "const KEY = \"" + key + "\";\n");
  RunShellIn(d, "cd ext && zip -q -r ../ext.zip . && cd .. && cp ext.zip ext.xpi");
  std::filesystem::remove_all(d.path() / "ext");
  const std::string zip = ReadWholeFile(d.path() / "ext.zip");
  std::filesystem::remove(d.path() / "ext.zip");
  const std::string proto(37, '\x12');  // CRX3 header: a protobuf, opaque here
  WriteFile(d.path() / "v3.crx", "Cr24" + U32(3) + U32(proto.size()) + proto + zip);
  WriteFile(d.path() / "v2.crx", "Cr24" + U32(2) + U32(5) + U32(7) + std::string(12, '\x01') + zip);
  // A header whose length runs past the end: diagnosed, raw bytes scanned.
  const std::string bad_key = TestKey(seed);
  WriteFile(d.path() / "bad.crx", "Cr24" + U32(3) + U32(1u << 30) + "k=\"" + bad_key + "\"");
  const auto r = ScanWithTestRules(d.path().string());
  INFO(DiagnosticLines(r));
  const auto found = FoundUnder(r, d);
  CHECK(found.count("v3.crx[crx]!background.js") == 1);
  CHECK(found.count("v2.crx[crx]!background.js") == 1);
  CHECK(found.count("ext.xpi!background.js") == 1);
  CHECK(found.count("bad.crx[crx-raw]") == 1);
  CHECK(found.size() == 4);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].message.find("runs past the end") != std::string::npos);
}

TEST_CASE("crx header lengths are checked") {
  std::string why;
  CHECK(lp::CrxZipOffset("Cr24", why) == 0);
  CHECK(lp::CrxZipOffset("Cr24" + U32(4) + U32(0) + "PK\x03\x04", why) == 0);
  CHECK(why.find("version 4") != std::string::npos);
  CHECK(lp::CrxZipOffset("Cr24" + U32(3) + U32(0xffffffffu) + "PK\x03\x04", why) == 0);
  CHECK(lp::CrxZipOffset("Cr24" + U32(3) + U32(2) + "xxPK\x03\x04", why) == 14);
  CHECK(lp::CrxZipOffset("Cr24" + U32(3) + U32(2) + "xxNOTZIP", why) == 0);
  CHECK(why.find("no zip") != std::string::npos);
}

TEST_CASE("asar: one finding per packed file, unpacked files left to the walk") {
  TempDir d;
  std::uint32_t seed = 1812;
  const std::string main_key = TestKey(seed);
  const std::string pre_key = TestKey(seed);
  const std::string unpacked_key = TestKey(seed);
  const std::string asar = BuildAsar({
      {"", "package.json", R"({"name":"app","main":"dist/main.js"})"},
      {"dist", "main.js", "const k = \"" + main_key + "\";\n"},
      {"dist", "preload.js", "window.k = \"" + pre_key + "\";\n"},
      {"native", "addon.node", "", true},
  });
  WriteFile(d.path() / "app.asar", asar);
  d.Write("app.asar.unpacked/native/addon.node", "k=\"" + unpacked_key + "\"");
  const auto r = ScanWithTestRules(d.path().string());
  INFO(DiagnosticLines(r));
  const auto found = FoundUnder(r, d);
  CHECK(found.count("app.asar!dist/main.js") == 1);
  CHECK(found.count("app.asar!dist/preload.js") == 1);
  CHECK(found.count("app.asar.unpacked/native/addon.node") == 1);
  CHECK(found.size() == 3);
  CHECK(r.diagnostics.empty());
}

TEST_CASE("asar: bad entries and bad headers are diagnosed") {
  lp::AsarHeader h;
  std::string why;
  // An offset past the end, a size that is not a number, a symlink, deep nesting.
  std::string deep = "\"d\":{\"files\":{\"f\":{\"size\":1,\"offset\":\"0\"}}}";
  for (int i = 0; i < 300; ++i) deep = "\"d\":{\"files\":{" + deep + "}}";
  const std::string asar =
      BuildAsar({{"", "ok.js", "abc"}},
                "\"far.js\":{\"size\":10,\"offset\":\"999999\"},\"bad.js\":{\"size\":\"x\","
                "\"offset\":\"0\"},\"ln\":{\"link\":\"ok.js\"}," +
                    deep);
  REQUIRE(lp::ParseAsarHeader(asar, 100, h, why));
  REQUIRE(h.files.size() == 1);
  CHECK(h.files[0].path == "ok.js");
  CHECK(asar.substr(h.files[0].offset, h.files[0].size) == "abc");
  std::string problems;
  for (const auto& p : h.problems) problems += p + "\n";
  INFO(problems);
  CHECK(problems.find("far.js: offset 999999") != std::string::npos);
  CHECK(problems.find("bad.js: no valid \"size\"") != std::string::npos);
  CHECK(problems.find("nested deeper") != std::string::npos);
  CHECK_FALSE(lp::ParseAsarHeader(U32(4) + U32(12) + U32(8) + U32(4) + "{oops", 100, h, why));
  CHECK_FALSE(lp::LooksLikeAsar(U32(4) + U32(0xfffffff0u) + U32(8) + U32(4) + "{}"));
  // Entry limit.
  lp::AsarHeader few;
  REQUIRE(lp::ParseAsarHeader(BuildAsar({{"", "a", "1"}, {"", "b", "2"}, {"", "c", "3"}}), 2, few,
                              why));
  CHECK(few.files.size() == 2);
  CHECK(few.truncated);
}

TEST_CASE("image config: ENV values labelled by name, history kept") {
  std::vector<std::pair<std::string, std::string>> got;
  REQUIRE(lp::ReadImageConfig(R"({"config":{"Env":["PATH=/usr/bin","API_TOKEN=abc","EMPTY="]},)"
                              R"("container_config":{"Env":["API_TOKEN=abc"]},)"
                              R"("history":[{"created_by":"/bin/sh -c #(nop) ENV API_TOKEN=abc"}],)"
                              R"("rootfs":{"type":"layers","diff_ids":[]}})",
                              got));
  REQUIRE(got.size() == 3);
  CHECK(got[0] == std::pair<std::string, std::string>("ENV PATH", "PATH = /usr/bin"));
  CHECK(got[1] == std::pair<std::string, std::string>("ENV API_TOKEN", "API_TOKEN = abc"));
  CHECK(got[2].first == "history");
  CHECK_FALSE(lp::ReadImageConfig(R"({"rootfs":{}})", got));
  CHECK_FALSE(lp::ReadImageConfig("{\"rootfs\":", got));
}

namespace {

// A docker save / OCI image layout in `dir`/oci/: a bottom layer with app/server.js and
// app/old.js, a top layer that deletes app/old.js (whiteout) and adds app/new.js, a
// config with an ENV secret, index.json, manifest.json and oci-layout.
struct ImageDigests {
  std::string bottom, top, config;
};

ImageDigests BuildImageLayout(const TempDir& d, const std::string& file_key,
                              const std::string& env_key, const std::string& deleted_key) {
  d.Write("l1/app/server.js", "const token = process.env.T || \"" + file_key + "\";\n");
  d.Write("l1/app/old.js", "const old = \"" + deleted_key + "\";\n");
  d.Write("l2/app/.wh.old.js", "");
  d.Write("l2/app/new.js", "module.exports = 1;\n");
  ImageDigests out;
  RunShellIn(d, "mkdir -p oci/blobs/sha256");
  for (const char* layer : {"l1", "l2"}) {
    const std::string l = layer;
    RunShellIn(d, "tar czf " + l + ".tgz -C " + l + " app && sha256sum " + l +
                      ".tgz | cut -c1-64 > sha && mv " + l + ".tgz oci/blobs/sha256/$(cat sha)");
    (l == "l1" ? out.bottom : out.top) = ReadWholeFile(d.path() / "sha").substr(0, 64);
    std::filesystem::remove_all(d.path() / l);
  }
  d.Write("config.json", R"({"architecture":"amd64","os":"linux","config":{"Env":[)"
                         R"("PATH=/usr/local/bin","SERVICE_TOKEN=)" +
                             env_key +
                             R"("]},)"
                             R"("rootfs":{"type":"layers","diff_ids":["sha256:)" +
                             out.bottom + R"("]},"history":[{"created_by":"COPY app /app"}]})");
  RunShellIn(
      d, "sha256sum config.json | cut -c1-64 > sha && mv config.json oci/blobs/sha256/$(cat sha)");
  out.config = ReadWholeFile(d.path() / "sha").substr(0, 64);
  std::filesystem::remove(d.path() / "sha");
  d.Write("oci/oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  d.Write("oci/manifest.json", R"([{"Config":"blobs/sha256/)" + out.config +
                                   R"(","RepoTags":["leaky:1"],"Layers":["blobs/sha256/)" +
                                   out.bottom + R"(","blobs/sha256/)" + out.top + R"("]}])");
  d.Write("oci/index.json", R"({"schemaVersion":2,"manifests":[]})");
  return out;
}

}  // namespace

TEST_CASE("docker save tar: layers by digest, ENV by name, deleted files marked") {
  TempDir d;
  std::uint32_t seed = 1813;
  const std::string file_key = TestKey(seed);
  const std::string env_key = TestKey(seed);
  const std::string deleted_key = TestKey(seed);
  const ImageDigests img = BuildImageLayout(d, file_key, env_key, deleted_key);
  const std::string& layer = img.bottom;
  const std::string& config = img.config;
  RunShellIn(d, "tar cf image.tar -C oci . && rm -r oci");
  const auto r = ScanWithTestRules(d.path().string());
  INFO(DiagnosticLines(r));
  const auto found = FoundUnder(r, d);
  const std::string in_layer = "image.tar!sha256:" + layer + "!app/server.js";
  const std::string in_env = "image.tar!sha256:" + config + "[image-config] (ENV SERVICE_TOKEN)";
  REQUIRE(found.count(in_layer) == 1);
  CHECK(found.find(in_layer)->second == file_key);
  REQUIRE(found.count(in_env) == 1);
  CHECK(found.find(in_env)->second == env_key);
  // Deleted by the top layer's whiteout, still in the image.
  const std::string in_history = "image.tar!sha256:" + layer + "!app/old.js[only-in-image-history]";
  REQUIRE(found.count(in_history) == 1);
  CHECK(found.find(in_history)->second == deleted_key);
  CHECK(found.size() == 3);
  CHECK(r.diagnostics.empty());
}

TEST_CASE("OCI layout directory: every blob opened where it lies") {
  TempDir d;
  std::uint32_t seed = 1814;
  const std::string file_key = TestKey(seed);
  const std::string env_key = TestKey(seed);
  const std::string deleted_key = TestKey(seed);
  const ImageDigests img = BuildImageLayout(d, file_key, env_key, deleted_key);
  const std::string& layer = img.bottom;
  const std::string& config = img.config;
  const auto r = ScanWithTestRules(d.path().string());
  INFO(DiagnosticLines(r));
  const auto found = FoundUnder(r, d);
  CHECK(found.count("oci/blobs/sha256/" + layer + "!app/server.js") == 1);
  CHECK(found.count("oci/blobs/sha256/" + config + "[image-config] (ENV SERVICE_TOKEN)") == 1);
  // Layers scanned one by one know nothing of each other: the deleted file is found but
  // not marked (only an image tar, read as a whole, orders its layers).
  CHECK(found.count("oci/blobs/sha256/" + layer + "!app/old.js") == 1);
  CHECK(found.size() == 3);
}

TEST_CASE("whiteouts: files, directories and opaque directories of lower layers") {
  lp::Whiteouts w;
  CHECK(w.Record("./app/.wh.old.js"));
  CHECK(w.Record("etc/.wh..wh..opq"));
  CHECK(w.Record("var/.wh.cache"));
  CHECK_FALSE(w.Record("app/new.js"));
  CHECK_FALSE(w.Deleted("app/old.js"));  // a whiteout applies to the layers below only
  w.EndLayer();
  CHECK(w.Deleted("app/old.js"));
  CHECK(w.Deleted("./app/old.js"));
  CHECK_FALSE(w.Deleted("app/old.json"));
  CHECK(w.Deleted("etc/passwd"));
  CHECK(w.Deleted("etc/ssl/key.pem"));
  CHECK(w.Deleted("var/cache"));
  CHECK(w.Deleted("var/cache/x.js"));
  CHECK_FALSE(w.Deleted("var/cached.js"));
  CHECK(lp::ManifestLayers(R"([{"Layers":["./a/layer.tar","blobs/sha256/ab"]}])") ==
        std::vector<std::string>{"a/layer.tar", "blobs/sha256/ab"});
  CHECK(lp::ManifestLayers("{}").empty());
  CHECK(lp::ManifestLayers(R"([{"Layers":[1]}])").empty());
}
