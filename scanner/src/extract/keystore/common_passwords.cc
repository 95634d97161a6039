#include "extract/keystore/common_passwords.h"

#include <algorithm>
#include <array>

namespace leakproof::scanner::keystore {
namespace {

// keytool's examples and JDK truststore default (changeit), Android debug keystores
// (android), and the passwords tutorials and sample projects use most.
constexpr std::array<std::string_view, 14> kCommon = {
    "android",  "changeit", "password", "123456",    "12345678", "123456789", "secret",
    "keystore", "changeme", "pass",     "storepass", "keypass",  "test",      "111111"};

bool Usable(std::string_view p) {
  return p.size() <= 64 &&
         std::all_of(p.begin(), p.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

}  // namespace

std::vector<std::string> PasswordCandidates(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  auto add = [&](std::string_view p) {
    if (out.size() >= kMaxPasswordCandidates || !Usable(p)) return;
    if (std::find(out.begin(), out.end(), p) != out.end()) return;
    out.emplace_back(p);
  };
  add("");
  for (std::string_view p : kCommon) add(p);
  for (const std::string& n : names) {
    if (!n.empty()) add(n);
  }
  return out;
}

std::size_t CandidatesWithin(std::uint64_t iterations) {
  if (iterations == 0) iterations = 1;
  return static_cast<std::size_t>(
      std::min<std::uint64_t>(kMaxKdfIterations / iterations, kMaxPasswordCandidates));
}

std::string StoreName(std::string_view member_path) {
  const std::size_t slash = member_path.find_last_of("/\\");
  if (slash != std::string_view::npos) member_path.remove_prefix(slash + 1);
  const std::size_t dot = member_path.find('.');
  if (dot != std::string_view::npos && dot > 0) member_path = member_path.substr(0, dot);
  return std::string(member_path);
}

}  // namespace leakproof::scanner::keystore
