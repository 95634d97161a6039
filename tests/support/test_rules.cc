// Test rule set and temp-dir helper.
#include "support/test_rules.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <unistd.h>

namespace leakproof::testing {

const char* const kTestRulesToml = R"toml(
[provider]
id = "testco"
name = "TestCo"
base_url = "https://api.testco.dev"
auth = "bearer"
env_var = "TESTCO_KEY"
rotate_url = "https://testco.dev/keys"

[[rules]]
id = "testco.secret-key"
name = "TestCo secret key"
class = "secret"
severity = "critical"
regex = '''\b(tc_live_[0-9A-Za-z]{24,48})\b'''
min_entropy = 3.0
advice = "Move to the server."
examples = ['''key="tc_live_9fK2mQ7xLp4RtZ8vWb3NcY6d"''', '''TC=tc_live_Hq3Lz9Xw2Pv7Rn4Tb8Kc5Md1''']
negative_examples = ['''tc_test_9fK2mQ7xLp4RtZ8vWb3NcY6d''', '''tc_live_short''']

[[rules]]
id = "testco.publishable-key"
name = "TestCo publishable key"
class = "publishable"
severity = "info"
regex = '''\b(tc_pub_[0-9A-Za-z]{24})\b'''
advice = "Fine in a client; restrict it."
examples = ['''p="tc_pub_9fK2mQ7xLp4RtZ8vWb3NcY6d"''', '''tc_pub_Hq3Lz9Xw2Pv7Rn4Tb8Kc5Md1 ''']
negative_examples = ['''tc_pub_short''', '''xtc_pub_9fK2mQ7xLp4RtZ8vWb3NcY6d''']

[[rules]]
id = "testco.pem"
name = "Private key"
class = "secret"
severity = "critical"
regex = '''-----BEGIN (?:RSA )?PRIVATE KEY-----[A-Za-z0-9+/=\s]{64,}-----END (?:RSA )?PRIVATE KEY-----'''
advice = "Never ship private keys."
examples = ['''-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7Qm3kZ9pTf2Lx
-----END PRIVATE KEY-----''', '''k="-----BEGIN RSA PRIVATE KEY-----MIIEpAIBAAKCAQEAu8Nw2Qk7hJz4XmPq9LrTs5VbYc3WdE6fGh1iJ2kL4mN5oP7qR8sT9uV0wX-----END RSA PRIVATE KEY-----"''']
negative_examples = ['''-----BEGIN PUBLIC KEY-----abc-----END PUBLIC KEY-----''', '''BEGIN PRIVATE KEY''']
)toml";

std::string TestKey(std::uint32_t& seed) {
  static constexpr char kAlnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string key = "tc_live_";
  for (int k = 0; k < 28; ++k) {
    seed = seed * 1103515245u + 12345u;
    key += kAlnum[(seed >> 16) % 62];
  }
  return key;
}

std::unique_ptr<scanner::Engine> TestEngine() {
  scanner::RuleSet rules;
  scanner::Status s = rules.AddToml(kTestRulesToml, "test.toml", false);
  INFO(s.ToString());
  REQUIRE(s.ok());
  scanner::EngineOptions eo;
  eo.cache_dir = "-";
  auto engine = scanner::Engine::Create(std::move(rules), eo);
  INFO(engine.status().ToString());
  REQUIRE(engine.ok());
  return std::move(engine).value();
}

std::unique_ptr<scanner::Engine> BuiltinEngine(const scanner::EngineOptions& options) {
  auto rules = scanner::LoadBuiltinRules();
  INFO(rules.status().ToString());
  REQUIRE(rules.ok());
  auto engine = scanner::Engine::Create(std::move(rules).value(), options);
  INFO(engine.status().ToString());
  REQUIRE(engine.ok());
  return std::move(engine).value();
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("leakproof-test-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::Write(const std::string& relative,
                                     const std::string& content) const {
  const std::filesystem::path p = path_ / relative;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << content;
  return p;
}

}  // namespace leakproof::testing
