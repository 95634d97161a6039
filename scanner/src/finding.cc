// Redaction, fingerprints and entropy of findings.
#include "leakproof/scanner/finding.h"

#include <openssl/evp.h>

#include <array>
#include <cmath>

namespace leakproof::scanner {

std::string Redact(const std::string& secret) {
  // Four characters identify a key to its owner (prefixes like "sk_l", "AKIA") without
  // giving anything usable away; short secrets show less.
  const std::size_t keep = secret.size() >= 12 ? 4 : secret.size() / 3;
  std::string out = secret.substr(0, keep);
  out += "\xE2\x80\xA6";  // "…"
  return out;
}

std::string Fingerprint(const std::string& rule_id, const std::string& secret) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, rule_id.data(), rule_id.size());
  EVP_DigestUpdate(ctx, "\0", 1);
  EVP_DigestUpdate(ctx, secret.data(), secret.size());
  EVP_DigestFinal_ex(ctx, md.data(), &len);
  EVP_MD_CTX_free(ctx);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < 8 && i < len; ++i) {  // 64 bits: ample for dedup/baselines
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

double ShannonEntropy(std::string_view s) {
  if (s.empty()) return 0.0;
  std::array<std::size_t, 256> counts{};
  for (unsigned char c : s) ++counts[c];
  double h = 0.0;
  const double n = static_cast<double>(s.size());
  for (std::size_t c : counts) {
    if (c == 0) continue;
    const double p = static_cast<double>(c) / n;
    h -= p * std::log2(p);
  }
  return h;
}

const char* ConfidenceName(Confidence c) {
  switch (c) {
    case Confidence::kHigh:
      return "high";
    case Confidence::kMedium:
      return "medium";
    case Confidence::kLow:
      return "low";
  }
  return "high";
}

double ConfidenceRank(Confidence c) {
  switch (c) {
    case Confidence::kHigh:
      return 90.0;
    case Confidence::kMedium:
      return 60.0;
    case Confidence::kLow:
      return 30.0;
  }
  return 90.0;
}

}  // namespace leakproof::scanner
