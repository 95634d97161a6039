// docs/verify.md's provider table is generated from the rule pack: this test fails when
// the committed doc is out of step, and rewrites it when LEAKPROOF_UPDATE_VERIFY_DOC=1:
//   LEAKPROOF_UPDATE_VERIFY_DOC=1 build/tests/leakproof_tests "[#verify_doc_test]"
#include "leakproof/proxy/verify.h"
#include "leakproof/scanner/rule.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace leakproof::proxy {

TEST_CASE("docs/verify.md's provider table matches the rule pack", "[verify]") {
  auto pack = scanner::LoadBuiltinRules();
  REQUIRE(pack.ok());
  const std::string path = std::string(LEAKPROOF_SOURCE_DIR) + "/docs/verify.md";
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  const std::string begin = "<!-- BEGIN GENERATED: leakproof verify table -->\n";
  const std::string end = "<!-- END GENERATED -->";
  const std::size_t a = doc.find(begin), b = doc.find(end);
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  const std::string committed = doc.substr(a + begin.size(), b - a - begin.size());
  const std::string generated = VerifyDocTable(*pack);
  if (committed != generated && std::getenv("LEAKPROOF_UPDATE_VERIFY_DOC") != nullptr) {
    doc.replace(a + begin.size(), b - a - begin.size(), generated);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << doc;
    SUCCEED("docs/verify.md rewritten");
    return;
  }
  INFO(
      "docs/verify.md is stale: run LEAKPROOF_UPDATE_VERIFY_DOC=1 build/tests/leakproof_tests "
      "\"[#verify_doc_test]\"");
  CHECK(committed == generated);
}

}  // namespace leakproof::proxy
