// The name-based detector in the scan path: configuration files and structured app
// views give findings under generic.named-*, with their confidence in every format;
// source code and keys already found by a provider rule are left alone.
#include "leakproof/scanner/report.h"
#include "leakproof/scanner/scanner.h"

#include "detect/provider_attribution.h"
#include "support/android_builders.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace lp = leakproof::scanner;
using leakproof::testing::BuildArsc;
using leakproof::testing::BuiltinEngine;
using leakproof::testing::TempDir;

namespace {

lp::ScanResult ScanDir(const lp::Engine& e, const TempDir& d) {
  lp::ScanOptions o;
  o.paths = {d.path().string()};
  o.threads = 1;
  lp::ScanResult r = lp::Scan(e, o);
  lp::SortResult(r);
  return r;
}

// "rule id: secret" for every finding, to compare whole results at once.
std::vector<std::string> Summary(const lp::ScanResult& r) {
  std::vector<std::string> out;
  for (const lp::Finding& f : r.findings) out.push_back(f.rule->id + ": " + f.secret);
  std::sort(out.begin(), out.end());
  return out;
}

// Fake keys assembled from pieces: never a key-shaped literal in the source.
const std::string kAwsId = std::string("AKIA") + "QW3RT7YU" + "2IO4PLKJ";
const std::string kAwsSecret = std::string("7atbK2LpQ9xZ3vN8") + "mB4cR6tY1wE5sD0f" + "A2jK7uI9";
const std::string kHex32 = std::string("3f9a1c7e2b4d6f8a") + "0c1e3b5d7f9a2c4e";

}  // namespace

TEST_CASE("passwords and tokens in configuration files are found by name") {
  auto e = BuiltinEngine();
  TempDir d;
  d.Write("app/src/main/resources/application.yml",
          "spring:\n  datasource:\n    username: app\n    password: Pseg2020\n");
  d.Write("deploy/.pgpass", "db.acme.io:5432:*:report:R3port!ng\n");
  d.Write("ci/settings.xml",
          "<settings><servers><server><id>nexus</id><password>Nx-deploy7"
          "</password></server></servers></settings>\n");
  d.Write("ci/.env", "ANALYTICS_KEY=" + kHex32 + "\nLOG_LEVEL=debug\n");
  // The same lines in source code are not read by name (the engine's rules still apply).
  d.Write("web/main.js", "const cfg={password:\"Pseg2020\",key:\"" + kHex32 + "\"};\n");
  const auto r = ScanDir(*e, d);
  CHECK(Summary(r) == std::vector<std::string>{
                          "generic.named-key: " + kHex32, "generic.named-password: Nx-deploy7",
                          "generic.named-password: Pseg2020", "generic.named-password: R3port!ng"});
  for (const lp::Finding& f : r.findings) {
    INFO(f.rule->id);
    CHECK(f.location.line > 0);
    CHECK(f.confidence ==
          (f.rule->id == "generic.named-key" ? lp::Confidence::kLow : lp::Confidence::kMedium));
  }
}

TEST_CASE("placeholders and references in configuration files stay quiet") {
  auto e = BuiltinEngine();
  TempDir d;
  d.Write("application.yml",
          "db:\n  password: ${DB_PASSWORD}\n  password-hint: Use2FA!\n"
          "  api_key: your_api_key_here_123\n  secret: changeme123\n");
  d.Write(".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n");
  d.Write("gradle.properties", "org.gradle.jvmargs=-Xmx2g\nsigning.password=\n");
  CHECK(ScanDir(*e, d).findings.empty());
}

TEST_CASE("a provider rule's finding is not repeated by the name-based detector") {
  auto e = BuiltinEngine();
  TempDir d;
  const std::string stripe = std::string("sk_live_") + "51HxQ2mK7pL9vR3tY6wZ8aB4";
  d.Write(".env", "STRIPE_SECRET_KEY=" + stripe + "\n");
  const auto r = ScanDir(*e, d);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule->id == "stripe.secret-key");
  CHECK(r.findings[0].confidence == lp::Confidence::kHigh);
}

TEST_CASE("a provider rule's key under the provider's name is reported once, by that rule") {
  // generic.env-assignment also matches these bytes; the name attributes GitHub, but the
  // provider rule already says so: one finding, not a second named-credential one.
  auto e = BuiltinEngine();
  TempDir d;
  const std::string pat = std::string("github_pat_") + "9XyYq6B0Fi7FlaZ7Vt0SXj" +
                          "_Mpu3uDxYYMfGmzWkpAePcEJIukB4geqNf" + "ngAFTCloiADN5RpVI2XQWhX1ss";
  d.Write(".env", "GITHUB_TOKEN=" + pat + "\n");
  CHECK(Summary(ScanDir(*e, d)) == std::vector<std::string>{"github.fine-grained-pat: " + pat});
}

TEST_CASE("names in resources.arsc decide, and an AWS secret pairs with its key id") {
  auto e = BuiltinEngine();
  TempDir d;
  // The arsc view writes "Secret_Key = 7atb..." unquoted: no rule takes it by shape.
  // Other resources sit between the two, beyond the byte-adjacency of
  // aws.secret-access-key-paired: only the shared table pairs them.
  d.Write("res/resources.arsc", BuildArsc({{"string", "Access_Key", {kAwsId}},
                                           {"string", "db_password", {"Mob1le#Pw"}},
                                           {"string", "password_hint", {"At least 8 chars"}},
                                           {"string", "app_name", {"Acme"}},
                                           {"string", "Secret_Key", {kAwsSecret}}},
                                          {}));
  const auto r = ScanDir(*e, d);
  CHECK(Summary(r) == std::vector<std::string>{"aws.access-key-id: " + kAwsId,
                                               "aws.secret-access-key: " + kAwsSecret,
                                               "generic.named-password: Mob1le#Pw"});
  for (const lp::Finding& f : r.findings) {
    if (f.rule->id == "aws.secret-access-key") CHECK(f.location.detail == "@string/Secret_Key");
  }
}

TEST_CASE("a plist key path is the name: a secret under it is found") {
  auto e = BuiltinEngine();
  TempDir d;
  const std::string secret = std::string("Wq7Lm2Xp") + "9Rt4Vz8K" + "3Nb6Hd1F";
  d.Write("Payload/Acme.app/Info.plist",
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>\n"
          "<key>CFBundleName</key><string>Acme</string>\n"
          "<key>BackendConfig</key><dict><key>ClientSecret</key><string>" +
              secret +
              "</string>\n<key>PasswordHint</key><string>Use 8+ chars1</string></dict>\n"
              "</dict></plist>\n");
  const auto r = ScanDir(*e, d);
  CHECK(Summary(r) == std::vector<std::string>{"generic.named-secret: " + secret});
}

TEST_CASE("confidence is in JSON and SARIF output") {
  auto e = BuiltinEngine();
  TempDir d;
  d.Write(".pgpass", "db:5432:*:report:R3port!ng\n");
  const auto r = ScanDir(*e, d);
  REQUIRE(r.findings.size() == 1);
  std::ostringstream json, sarif;
  lp::WriteReport(lp::ReportFormat::kJson, r, e->rules(), {}, json);
  lp::WriteReport(lp::ReportFormat::kSarif, r, e->rules(), {}, sarif);
  CHECK(json.str().find("\"confidence\": \"medium\"") != std::string::npos);
  CHECK(sarif.str().find("\"rank\": 60.0") != std::string::npos);
  CHECK(json.str().find("R3port!ng") == std::string::npos);  // redacted
}

TEST_CASE("the provider named in a credential's name is attributed from the rule pack") {
  auto e = BuiltinEngine();
  namespace d = leakproof::scanner::detect;
  CHECK(d::AttributeProvider("MAILGUN_API_KEY", e->rules()) == "mailgun");
  CHECK(d::AttributeProvider("huggingfaceToken", e->rules()) == "huggingface");
  CHECK(d::AttributeProvider("hf_token", e->rules()) == "huggingface");
  CHECK(d::AttributeProvider("azure_openai_key", e->rules()) == "azure-openai");
  CHECK(d::AttributeProvider("com_amplitude_API_KEY", e->rules()) == "amplitude");
  CHECK(d::AttributeProvider("db_password", e->rules()).empty());
  CHECK(d::AttributeProvider("secret", e->rules()).empty());

  // Braze's own rule wants a UUID; a key of another shape under Braze's name is still
  // reported, as Braze's, at medium confidence.
  TempDir dir;
  const std::string value = std::string("Br4zeRest") + "Q8mK2pLx7Wv" + "3tYz9NcD";
  dir.Write("server/.env", "BRAZE_REST_API_KEY=" + value + "\n");
  const auto r = ScanDir(*e, dir);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule->id == "braze.named-credential");
  CHECK(r.findings[0].rule->provider == "braze");
  CHECK(r.findings[0].confidence == lp::Confidence::kMedium);
  CHECK(e->rules().EffectiveFacts(*r.findings[0].rule).env_var == "BRAZE_REST_API_KEY");
}
