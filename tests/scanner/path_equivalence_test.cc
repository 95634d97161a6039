// One fake key planted in a plain file, a zip, a zip inside a zip, a DEX string table,
// Android binary XML, a binary plist (as UTF-16BE) and a source map's sourcesContent:
// the full engine reports the same rule and fingerprint each time; only the location
// (provenance, label, line) differs.
#include "leakproof/scanner/rules_check.h"

#include "support/android_builders.h"
#include "support/android_zip_builder.h"
#include "support/native_builders.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>

namespace lp = leakproof::scanner;
namespace lt = leakproof::testing;
namespace nt = leakproof::native_testing;

namespace {

// A GitHub classic token shape (built-in rule github.personal-access-token).
const std::string kKey = "ghp_R8mK2xQ9vLp4TzW7nYb3HcJ6dF1sA5gE0uNi";

std::string SourceMap() {
  nlohmann::json map = {
      {"version", 3},
      {"sources", {"src/api/client.ts"}},
      {"names", nlohmann::json::array()},
      {"mappings", "AAAA"},
      {"sourcesContent", {"import x from 'y';\n\nexport const token = '" + kKey + "';\n"}}};
  return map.dump();
}

}  // namespace

TEST_CASE("the same key through every container keeps its rule; fingerprints are per place") {
  const auto engine = lt::BuiltinEngine();
  const std::string plain = "const token = '" + kKey + "';\n";
  const std::string zip = lt::BuildZip({{"assets/config.js", plain}});
  const std::string nested = lt::BuildZip({{"base.apk", zip, /*store=*/true}});
  const std::string dex = lt::BuildDex({"Lcom/acme/Api;", kKey, "onCreate"});
  const std::string axml =
      lt::BuildAxml({{false, "manifest", {}, ""},
                     {false, "meta-data", {{"name", "com.acme.TOKEN"}, {"value", kKey}}, ""},
                     {true, "meta-data", {}, ""},
                     {true, "manifest", {}, ""}},
                    /*utf8=*/false);
  nt::BplistBuilder plist;
  const int top = plist.Dict({{plist.Ascii("GITHUB_TOKEN"), plist.Utf16(nt::U16(kKey))}});
  const std::string bplist = plist.Build(top);

  struct Case {
    const char* name;
    std::string bytes;
    std::string expected_path_part;
  };
  const std::vector<Case> cases = {
      {"plain.js", plain, "plain.js"},
      {"app.zip", zip, "app.zip!assets/config.js"},
      {"app.xapk", nested, "app.xapk!base.apk!assets/config.js"},
      {"classes.dex", dex, "classes.dex[dex-strings]"},
      {"AndroidManifest.xml", axml, "AndroidManifest.xml[axml-strings]"},
      {"Info.plist", bplist, "Info.plist[plist]"},
      {"main.js.map", SourceMap(), "main.js.map!src/api/client.ts"},
  };
  std::set<std::string> prints;
  for (const Case& c : cases) {
    const auto findings = lp::ScanBytesForTest(*engine, c.bytes, c.name);
    INFO(c.name);
    REQUIRE(findings.size() == 1);
    const lp::Finding& f = findings[0];
    CHECK(f.rule->id == "github.personal-access-token");
    CHECK(f.secret == kKey);
    CHECK(f.location.path == c.expected_path_part);
    prints.insert(f.fingerprint);
  }
  CHECK(prints.size() == cases.size());  // one key, seven places: seven fingerprints
  // Labels say where inside the format the key sat.
  CHECK(lp::ScanBytesForTest(*engine, axml, "AndroidManifest.xml")[0].location.detail ==
        "meta-data com.acme.TOKEN");
  CHECK(lp::ScanBytesForTest(*engine, bplist, "Info.plist")[0].location.detail == "GITHUB_TOKEN");
  CHECK(lp::ScanBytesForTest(*engine, SourceMap(), "main.js.map")[0].location.line == 3);
}
