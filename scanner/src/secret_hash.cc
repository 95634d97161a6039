// The secret_hash key (env, per-installation file, or per run) and the HMAC itself.
#include "leakproof/scanner/secret_hash.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

namespace leakproof::scanner {
namespace {

constexpr std::size_t kKeyBytes = 32;

std::string DefaultKeyDir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x != nullptr && *x != '\0') {
    return std::string(x) + "/leakproof";
  }
  if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0') {
    return std::string(h) + "/.cache/leakproof";
  }
  return "";
}

std::string RandomKey() {
  std::string key(kKeyBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) {
    key.clear();  // no randomness: SecretHash still works, with an empty (public) key
  }
  return key;
}

bool ReadKeyFile(const std::string& path, std::string& key) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return false;
  std::string data(kKeyBytes, '\0');
  ssize_t n = ::read(fd, data.data(), data.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(kKeyBytes)) return false;
  key = std::move(data);
  return true;
}

// Writes a fresh key to a private temporary file, then links it into place: a second
// process racing us either wins the link (we read its key) or loses it, never reads half.
bool CreateKeyFile(const std::string& dir, const std::string& path, std::string& key) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::string tmp = path + ".XXXXXX";
  int fd = ::mkstemp(tmp.data());  // mode 0600
  if (fd < 0) return false;
  std::string fresh = RandomKey();
  const bool written =
      fresh.size() == kKeyBytes &&
      ::write(fd, fresh.data(), fresh.size()) == static_cast<ssize_t>(fresh.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  const bool linked = written && ::link(tmp.c_str(), path.c_str()) == 0;
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked) {
    key = std::move(fresh);
    return true;
  }
  return written && link_errno == EEXIST && ReadKeyFile(path, key);
}

}  // namespace

SecretHashKey LoadSecretHashKey(const std::string& cache_dir) {
  SecretHashKey k;
  if (const char* env = std::getenv("LEAKPROOF_HASH_KEY"); env != nullptr && *env != '\0') {
    k.key = env;
    k.source = "env";
    return k;
  }
  const std::string dir = cache_dir.empty() ? DefaultKeyDir() : cache_dir;
  if (!dir.empty() && dir != "-") {
    const std::string path = dir + "/secret-hash.key";
    if (ReadKeyFile(path, k.key) || CreateKeyFile(dir, path, k.key)) {
      k.source = "installation";
      return k;
    }
  }
  k.key = RandomKey();
  k.source = "run";
  return k;
}

std::string SecretHash(const SecretHashKey& key, std::string_view secret) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.key.data(), static_cast<int>(key.key.size()),
       reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), md.data(), &len);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < 16 && i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

}  // namespace leakproof::scanner
