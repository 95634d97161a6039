// Builds zip archives in memory with libzip, for extractor tests (APK-, XAPK- and
// bomb-shaped inputs) without touching the disk.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace leakproof::testing {

struct ZipMember {
  ZipMember(std::string n, std::string d, bool s = false, std::string pw = {})
      : name(std::move(n)), data(std::move(d)), store(s), password(std::move(pw)) {}
  std::string name;
  std::string data;
  bool store = false;    // ZIP_CM_STORE instead of deflate
  std::string password;  // non-empty: AES-256 encrypted
};

// The archive bytes; empty on a libzip failure (the test then fails on its checks).
std::string BuildZip(const std::vector<ZipMember>& members);

}  // namespace leakproof::testing
