// The passwords the keystore readers try offline: the empty password, the defaults of
// keytool, Android Studio and tutorials, and names taken from the file itself (its
// store name, its aliases), which developers reuse as passwords.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::scanner::keystore {

// At most this many candidates are tried per keystore: each costs a pass over the file
// (JKS) or a MAC key derivation (PKCS#12, BKS).
inline constexpr std::size_t kMaxPasswordCandidates = 24;

// Key derivations (PKCS#12 MAC, BKS) cost `iterations` hashes per candidate, and the count
// comes from the file. Candidates are tried until this many iterations are spent in all:
// every candidate at the 10,000 keytool writes, the first few at a hostile million.
inline constexpr std::uint64_t kMaxKdfIterations = 500000;

// How many candidates fit in kMaxKdfIterations at `iterations` each (at least 1: the
// empty password, unless one try alone is over the budget).
std::size_t CandidatesWithin(std::uint64_t iterations);

// "" first, then the fixed list, then `names` (store name, aliases): ASCII only,
// 1..64 bytes, de-duplicated, cut to kMaxPasswordCandidates.
std::vector<std::string> PasswordCandidates(const std::vector<std::string>& names);

// "keystore" for "res/raw/keystore.bks".
std::string StoreName(std::string_view member_path);

}  // namespace leakproof::scanner::keystore
