// Hyperscan database construction and the on-disk cache of serialized databases.
#include "match/hs_database.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <unistd.h>

namespace leakproof::scanner {
namespace {

unsigned FlagsFor(HsMode mode) { return mode == HsMode::kPrefilter ? HS_FLAG_PREFILTER : 0u; }

// Fills max_width and decides exact/prefilter/excluded for one pattern.
void Classify(HsPattern& p) {
  for (HsMode mode : {HsMode::kExact, HsMode::kPrefilter}) {
    hs_expr_info_t* info = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_expression_info(p.regex.c_str(), FlagsFor(mode), &info, &err) == HS_SUCCESS) {
      if (mode == HsMode::kExact) {
        p.max_width = info->max_width == std::numeric_limits<unsigned>::max()
                          ? std::numeric_limits<std::uint64_t>::max()
                          : info->max_width;
      } else if (p.max_width == 0) {
        p.max_width = std::numeric_limits<std::uint64_t>::max();
      }
      std::free(info);
      p.mode = mode;
      return;
    }
    if (mode == HsMode::kExact) p.error = err->message;
    hs_free_compile_error(err);
  }
  p.mode = HsMode::kExcluded;
  p.max_width = std::numeric_limits<std::uint64_t>::max();
}

// Keyed by the Hyperscan version, this CPU's platform and the patterns, so a cache hit
// skips the per-pattern analysis too (that, not the compile, dominated start-up). The
// database is compiled for the host's platform (hs_populate_platform below): a cache
// baked on another CPU (a container image built on an AVX-512 machine) must miss and
// recompile, never be loaded where its instructions may not exist.
std::string CacheKey(const std::vector<HsPattern>& patterns) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  const char* version = hs_version();
  EVP_DigestUpdate(ctx, version, std::char_traits<char>::length(version));
  hs_platform_info_t platform{};
  if (hs_populate_platform(&platform) == HS_SUCCESS) {
    const std::string cpu =
        std::to_string(platform.tune) + "/" + std::to_string(platform.cpu_features) + "\n";
    EVP_DigestUpdate(ctx, cpu.data(), cpu.size());
  }
  for (const HsPattern& p : patterns) {
    EVP_DigestUpdate(ctx, p.regex.data(), p.regex.size());
    EVP_DigestUpdate(ctx, "\n", 1);
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < 16 && i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

// Cache file: "LPHS1\n", pattern count, then per pattern (mode, max_width, error),
// then the serialized database.
constexpr char kCacheMagic[] = "LPHS1\n";

template <typename T>
void Put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

template <typename T>
bool Get(std::string_view& in, T& v) {
  if (in.size() < sizeof v) return false;
  std::memcpy(&v, in.data(), sizeof v);
  in.remove_prefix(sizeof v);
  return true;
}

HsDatabasePtr LoadCached(const std::filesystem::path& file, std::vector<HsPattern>& patterns) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return nullptr;
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  std::string_view v(bytes);
  if (v.substr(0, sizeof kCacheMagic - 1) != kCacheMagic) return nullptr;
  v.remove_prefix(sizeof kCacheMagic - 1);
  std::uint64_t n = 0;
  if (!Get(v, n) || n != patterns.size()) return nullptr;
  std::vector<HsPattern> loaded = patterns;
  for (HsPattern& p : loaded) {
    std::uint8_t mode = 0;
    std::uint64_t err_len = 0;
    if (!Get(v, mode) || mode > 2 || !Get(v, p.max_width) || !Get(v, err_len) ||
        err_len > v.size()) {
      return nullptr;
    }
    p.mode = static_cast<HsMode>(mode);
    p.error.assign(v.substr(0, err_len));
    v.remove_prefix(err_len);
  }
  hs_database_t* db = nullptr;
  if (hs_deserialize_database(v.data(), v.size(), &db) != HS_SUCCESS) return nullptr;
  patterns = std::move(loaded);
  return HsDatabasePtr(db);
}

void StoreCached(const std::filesystem::path& file, const std::vector<HsPattern>& patterns,
                 const hs_database_t* db) {
  char* bytes = nullptr;
  size_t len = 0;
  if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS) return;
  std::string out(kCacheMagic);
  Put<std::uint64_t>(out, patterns.size());
  for (const HsPattern& p : patterns) {
    Put<std::uint8_t>(out, static_cast<std::uint8_t>(p.mode));
    Put<std::uint64_t>(out, p.max_width);
    Put<std::uint64_t>(out, p.error.size());
    out += p.error;
  }
  out.append(bytes, len);
  std::free(bytes);
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  // Write then rename so a concurrent reader never sees a partial file.
  const std::filesystem::path tmp = file.string() + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream o(tmp, std::ios::binary);
    o.write(out.data(), static_cast<std::streamsize>(out.size()));
    if (!o) {
      std::filesystem::remove(tmp, ec);
      return;  // an unwritable cache only costs start-up time
    }
  }
  std::filesystem::rename(tmp, file, ec);
  if (ec) std::filesystem::remove(tmp, ec);
}

}  // namespace

Result<HsDatabasePtr> BuildHsDatabase(std::vector<HsPattern>& patterns,
                                      const std::string& cache_dir) {
  std::filesystem::path cache_file;
  if (!cache_dir.empty()) {
    cache_file = std::filesystem::path(cache_dir) / ("rules-" + CacheKey(patterns) + ".hsdb");
    if (HsDatabasePtr db = LoadCached(cache_file, patterns)) return db;
  }
  for (HsPattern& p : patterns) Classify(p);

  std::vector<const char*> exprs;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    if (patterns[i].mode == HsMode::kExcluded) continue;
    exprs.push_back(patterns[i].regex.c_str());
    flags.push_back(FlagsFor(patterns[i].mode));
    ids.push_back(static_cast<unsigned>(i));
  }
  if (exprs.empty()) return HsDatabasePtr();  // nothing for stage 1; RE2 does it all

  hs_platform_info_t platform;
  hs_populate_platform(&platform);
  while (true) {
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(exprs.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, &platform, &db,
                         &err) == HS_SUCCESS) {
      HsDatabasePtr out(db);
      if (!cache_file.empty()) StoreCached(cache_file, patterns, db);
      return out;
    }
    const int bad = err->expression;
    std::string message = err->message;
    hs_free_compile_error(err);
    if (bad < 0 || static_cast<std::size_t>(bad) >= exprs.size()) {
      return Status::InvalidArgument("Hyperscan could not compile the rule set: " + message);
    }
    // One pattern failed in the combined compile: degrade just that one and retry.
    const auto b = static_cast<std::size_t>(bad);
    HsPattern& p = patterns[ids[b]];
    p.error = message;
    if (p.mode == HsMode::kExact) {
      p.mode = HsMode::kPrefilter;
      flags[b] = HS_FLAG_PREFILTER;
    } else {
      p.mode = HsMode::kExcluded;
      exprs.erase(exprs.begin() + bad);
      flags.erase(flags.begin() + bad);
      ids.erase(ids.begin() + bad);
      if (exprs.empty()) return HsDatabasePtr();
    }
  }
}

}  // namespace leakproof::scanner
