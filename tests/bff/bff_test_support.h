// Helpers shared by the BFF tests: the frozen fixture rule set and fixture reports.
#pragma once

#include "leakproof/proxy/bff/generator.h"
#include "leakproof/scanner/rule.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace leakproof::bff_test {

inline std::filesystem::path BffTestDir() {
  return std::filesystem::path(LEAKPROOF_SOURCE_DIR) / "tests" / "bff";
}

inline std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// tests/bff/fixtures/rules/*.toml: a frozen copy of the providers the fixtures use.
inline scanner::RuleSet FixtureRules() {
  scanner::RuleSet rules;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(BffTestDir() / "fixtures" / "rules")) {
    files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    scanner::Status s = rules.AddToml(ReadFile(f), f.filename().string(), /*user_rules=*/false);
    if (!s.ok()) throw std::runtime_error(s.message());
  }
  return rules;
}

// GenerateBff over FixtureRules() for `targets` ("all", "express,proxy", ...); REQUIREs success.
inline proxy::bff::GeneratedTree Generate(const std::vector<proxy::bff::CredentialInput>& creds,
                                          const std::string& targets = "all") {
  proxy::bff::BffOptions opts;
  opts.targets = *proxy::bff::ParseTargets(targets);
  auto tree = proxy::bff::GenerateBff(creds, FixtureRules(), opts);
  INFO(tree.status().message());
  REQUIRE(tree.ok());
  return *tree;
}

}  // namespace leakproof::bff_test
