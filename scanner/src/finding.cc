// Redaction, per-location fingerprints, path normalisation and entropy of findings.
#include "leakproof/scanner/finding.h"

#include <openssl/evp.h>

#include <array>
#include <cmath>
#include <filesystem>
#include <system_error>

namespace leakproof::scanner {
namespace {

// Whitespace runs become one space, ends trimmed: re-indenting a line or converting tabs
// keeps its fingerprint.
std::string CollapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

std::string Redact(const std::string& secret) {
  // Four characters identify a key to its owner (prefixes like "sk_l", "AKIA") without
  // giving anything usable away; short secrets show less.
  const std::size_t keep = secret.size() >= 12 ? 4 : secret.size() / 3;
  std::string out = secret.substr(0, keep);
  out += "\xE2\x80\xA6";  // "…"
  return out;
}

std::string NormalisedPath(std::string_view path, std::string_view cwd) {
  while (path.size() > 2 && path.substr(0, 2) == "./") {
    path.remove_prefix(2);
    while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  }
  if (!cwd.empty() && cwd != "/" && path.size() > cwd.size() + 1 &&
      path.substr(0, cwd.size()) == cwd && path[cwd.size()] == '/') {
    path.remove_prefix(cwd.size() + 1);
  }
  return std::string(path);
}

const std::string& CurrentDirectory() {
  static const std::string cwd = [] {
    std::error_code ec;
    std::filesystem::path p = std::filesystem::current_path(ec);
    return ec ? std::string() : p.string();
  }();
  return cwd;
}

std::string LocationFingerprint(std::string_view rule_id, std::string_view normalised_path,
                                std::string_view line_before, std::string_view line_after,
                                const std::string& secret) {
  // Versioned domain tag, then NUL-separated fields so no two field splits hash alike.
  const std::string parts[] = {"leakproof-location-v2",      std::string(rule_id),
                               std::string(normalised_path), CollapseSpaces(line_before),
                               CollapseSpaces(line_after),   Redact(secret),
                               std::to_string(secret.size())};
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  for (const std::string& p : parts) EVP_DigestUpdate(ctx, p.data(), p.size() + 1);  // with NUL
  EVP_DigestFinal_ex(ctx, md.data(), &len);
  EVP_MD_CTX_free(ctx);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < 8 && i < len; ++i) {  // 64 bits: ample to tell places apart
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

const char* VerificationStateName(Verification::State s) {
  switch (s) {
    case Verification::State::kNotChecked:
      return "";
    case Verification::State::kLive:
      return "live";
    case Verification::State::kRejected:
      return "rejected";
    case Verification::State::kUnknown:
      return "unknown";
    case Verification::State::kError:
      return "error";
  }
  return "";
}

RuleClass EffectiveClass(const Finding& f) {
  return f.verification.settled_class.value_or(f.rule->rule_class);
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
