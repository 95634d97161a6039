// Keystores in artifacts (issue 14, item 3): JKS, JCEKS, PKCS#12 and BKS files made by
// keytool, openssl and BouncyCastle (scripts/make-crypto-samples.sh) are recognised by
// content, opened with the empty or a common password where one works, and reported
// as keystore.* findings when they hold a private or secret key; truststores are not.
#include "extract/keystore/keystore_extractor.h"

#include "leakproof/scanner/report.h"
#include "leakproof/scanner/scanner.h"

#include "extract/keystore/java_keystore.h"
#include "support/scan_run.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>
#include <openssl/sha.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace lp = leakproof::scanner;
using leakproof::testing::BuiltinEngine;
using leakproof::testing::ReadWholeFile;
using leakproof::testing::TempDir;

namespace {

const std::filesystem::path kKeystores =
    std::filesystem::path(LEAKPROOF_SOURCE_DIR) / "samples/android/keystores";

lp::ScanResult ScanPath(const lp::Engine& e, const std::string& path) {
  lp::ScanOptions o;
  o.paths = {path};
  o.threads = 1;
  lp::ScanResult r = lp::Scan(e, o);
  lp::SortResult(r);
  return r;
}

std::string Sha256Hex(const std::string& bytes) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), d);
  std::string out;
  for (unsigned char c : d) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

// The file name of a finding's innermost member ("release.jks").
std::string FileOf(const lp::Finding& f) {
  const std::string& p =
      f.location.provenance.empty() ? f.location.path : f.location.provenance.back();
  return std::filesystem::path(p).filename().string();
}

void PutU32Be(std::string& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((v >> s) & 0xFF));
}
void PutUtf(std::string& out, const std::string& s) {
  out.push_back(static_cast<char>(s.size() >> 8));
  out.push_back(static_cast<char>(s.size() & 0xFF));
  out += s;
}

// A version-2 JKS with one private-key entry (opaque key and certificate bytes) and the
// JDK's integrity digest for `password`.
std::string BuildJks(const std::string& alias, const std::string& password) {
  std::string b;
  PutU32Be(b, 0xFEEDFEED);
  PutU32Be(b, 2);
  PutU32Be(b, 1);
  PutU32Be(b, 1);  // private key entry
  PutUtf(b, alias);
  b.append(8, '\0');  // timestamp
  PutU32Be(b, 4);
  b += "KEY!";
  PutU32Be(b, 1);  // chain of one
  PutUtf(b, "X.509");
  PutU32Be(b, 4);
  b += "CERT";
  return b + lp::keystore::JavaKeystoreDigest(password, b);
}

}  // namespace

TEST_CASE(
    "keystores from keytool, openssl and BouncyCastle: the right verdict, password and aliases") {
  auto e = BuiltinEngine();
  const lp::ScanResult r = ScanPath(*e, kKeystores.string());
  INFO(leakproof::testing::DiagnosticLines(r));
  std::map<std::string, const lp::Finding*> by_file;
  for (const lp::Finding& f : r.findings) {
    if (f.rule->provider == "keystore") by_file[FileOf(f)] = &f;
  }
  struct Expect {
    const char* file;
    const char* rule;
    const char* detail_part;
  };
  const Expect expected[] = {
      {"release.jks", "keystore.private-key-open",
       "JKS keystore, opens with password 'android'; entries: release (private key)"},
      {"secret.jceks", "keystore.private-key-open",
       "JCEKS keystore, opens with password 'keystore'; entries: aes-master (secret key)"},
      {"upload.p12", "keystore.private-key-open",
       "PKCS#12 keystore, opens with password 'changeit'; entries: upload (private key), upload "
       "(certificate)"},
      {"empty.p12", "keystore.private-key-open",
       "PKCS#12 keystore, opens with the empty password; entries: mtls-client (private key)"},
      {"client.bks", "keystore.private-key-open",
       "BKS keystore, opens with password 'password'; entries: release (private key)"},
      {"locked.p12", "keystore.private-key",
       "PKCS#12 keystore, no common password opens it; entries: mtls-client (private key) (not all "
       "entries readable)"},
      {"slow.p12", "keystore.private-key",
       "MAC iteration count 300000 over the cap; passwords not tried"},
  };
  for (const Expect& x : expected) {
    INFO(x.file);
    REQUIRE(by_file.count(x.file) == 1);
    const lp::Finding& f = *by_file.at(x.file);
    CHECK(f.rule->id == x.rule);
    CHECK_THAT(f.location.detail, Catch::Contains(x.detail_part));
    CHECK(f.rule->rule_class == lp::RuleClass::kSecret);
    CHECK(f.confidence == lp::Confidence::kHigh);
    // The secret is the file's SHA-256: it names the keystore without showing key bytes.
    CHECK(f.secret == Sha256Hex(ReadWholeFile(kKeystores / x.file)));
  }
  CHECK(by_file.at("release.jks")->rule->severity == lp::Severity::kCritical);
  CHECK(by_file.at("locked.p12")->rule->severity == lp::Severity::kHigh);
  // Truststores (a CA certificate only) are normal in apps and not reported.
  CHECK(by_file.count("trust.jks") == 0);
  CHECK(by_file.count("trust.bks") == 0);
  CHECK(by_file.size() == std::size(expected));
  for (const lp::Diagnostic& d : r.diagnostics) CHECK(d.level == lp::DiagnosticLevel::kInfo);
}

TEST_CASE("a keystore is found by content inside an APK under a name that hides it") {
  auto e = BuiltinEngine();
  const auto apk = std::filesystem::path(LEAKPROOF_SOURCE_DIR) / "samples/android/crypto/vault.apk";
  const lp::ScanResult r = ScanPath(*e, apk.string());
  bool found = false;
  for (const lp::Finding& f : r.findings) {
    if (f.rule->id != "keystore.private-key-open") continue;
    found = true;
    CHECK(f.location.path == apk.string() + "!res/raw/session.bin[keystore-check]");
    CHECK_THAT(f.location.detail, Catch::Contains("opens with password 'android'"));
  }
  CHECK(found);
}

TEST_CASE("JKS: the digest decides the password; the store name and aliases are candidates") {
  auto e = BuiltinEngine();
  TempDir dir;
  // Opened by its own file name ("acmepay" for acmepay.jks), by an alias, and not at all.
  const std::string opens_by_name = BuildJks("upload", "acmepay");
  const std::string opens_by_alias = BuildJks("vaultsigner", "vaultsigner");
  const std::string strong = BuildJks("upload", std::string("Wq4!") + "zR8#mT2$");
  std::string tampered = BuildJks("upload", "android");
  tampered[20] ^= 1;  // a byte of the alias changes: the digest no longer matches
  for (const auto& [name, bytes] :
       std::map<std::string, std::string>{{"acmepay.jks", opens_by_name},
                                          {"b.keystore", opens_by_alias},
                                          {"c.bin", strong},
                                          {"d.jks", tampered}}) {
    std::ofstream(dir.path() / name, std::ios::binary) << bytes;
  }
  const lp::ScanResult r = ScanPath(*e, dir.path().string());
  std::map<std::string, std::string> got;
  for (const lp::Finding& f : r.findings) got[FileOf(f)] = f.rule->id + " | " + f.location.detail;
  CHECK_THAT(
      got["acmepay.jks"],
      Catch::StartsWith("keystore.private-key-open | JKS keystore, opens with password 'acmepay'"));
  CHECK_THAT(got["b.keystore"],
             Catch::StartsWith(
                 "keystore.private-key-open | JKS keystore, opens with password 'vaultsigner'"));
  CHECK_THAT(got["c.bin"],
             Catch::StartsWith("keystore.private-key | JKS keystore, no common password"));
  CHECK_THAT(got["d.jks"], Catch::StartsWith("keystore.private-key | "));
}

TEST_CASE("truncated and hostile keystores: a diagnostic or nothing, never a crash") {
  auto ex = lp::NewKeystoreExtractor();
  lp::ExtractLimits limits;
  lp::ByteBudget budget(limits.max_total_bytes);
  std::vector<std::string> messages;
  lp::ExtractContext ctx(limits, budget, [&](lp::Diagnostic d) { messages.push_back(d.message); });
  for (const char* name : {"release.jks", "upload.p12", "client.bks", "secret.jceks"}) {
    const std::string whole = ReadWholeFile(kKeystores / name);
    REQUIRE(whole.size() > 64);
    for (std::size_t cut = 0; cut <= whole.size(); cut += 7) {
      std::string part = whole.substr(0, cut);
      lp::Blob b = lp::Blob::FromString(part, lp::Provenance(name));
      if (!ex->CanExtract(b)) continue;
      (void)ex->Extract(b, ctx, [](lp::Blob) { return true; });
    }
    // A JKS whose entry count claims billions stops at the end of the data.
    std::string lying = whole;
    lying[8] = lying[9] = lying[10] = lying[11] = '\x7f';
    lp::Blob b = lp::Blob::FromString(lying, lp::Provenance(name));
    if (ex->CanExtract(b)) (void)ex->Extract(b, ctx, [](lp::Blob) { return true; });
  }
  SUCCEED("no crash, no hang");
}
