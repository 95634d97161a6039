// The test-only base URL map (test_overrides.h).
#include "verify/test_overrides.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace leakproof::proxy::verify {

using scanner::Result;
using scanner::Status;

Result<TestOverrides> LoadTestOverrides() {
  TestOverrides o;
  const char* path = std::getenv("LEAKPROOF_VERIFY_TEST_OVERRIDES");
  if (path == nullptr || *path == '\0') return o;
  const std::string where = "LEAKPROOF_VERIFY_TEST_OVERRIDES (" + std::string(path) + ")";
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read " + where);
  std::stringstream ss;
  ss << in.rdbuf();
  auto doc = nlohmann::json::parse(ss.str(), nullptr, false);
  if (!doc.is_object() || doc.value("leakproof_test_only", false) != true) {
    return Status::InvalidArgument(where + " is not a leakproof test override file");
  }
  o.ca_file = doc.value("ca_file", std::string());
  if (doc.contains("base_urls") && doc["base_urls"].is_object()) {
    for (const auto& [from, to] : doc["base_urls"].items()) {
      if (!to.is_string()) return Status::InvalidArgument(where + ": base_urls values are URLs");
      const std::string target = to.get<std::string>();
      if (!target.starts_with("https://localhost:") && !target.starts_with("https://127.0.0.1:")) {
        return Status::InvalidArgument(where + ": a target must be https on localhost");
      }
      o.base_urls[from] = target;
    }
  }
  o.active = true;
  return o;
}

}  // namespace leakproof::proxy::verify
