// Hyperscan database construction and the on-disk cache of serialized databases.
#include "match/hs_database.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sys/mman.h>
#include <sys/stat.h>
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

// A read-only mapping of a whole file, unmapped on destruction.
class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      // MAP_POPULATE: one call maps every page of the (page-cached) file instead of a
      // fault per 4 KiB page while it is read.
      void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ,
                       MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (p != MAP_FAILED) {
        data_ = static_cast<const char*>(p);
        size_ = static_cast<std::size_t>(st.st_size);
      }
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view bytes() const { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

// The serialized database straight from the mapped file into one fresh anonymous
// mapping (page-aligned, so the 8-byte alignment hs_deserialize_database_at needs
// holds): no read buffer, no string copies, no malloc'd block zeroed first.
HsDatabasePtr DeserializeInto(std::string_view serialized) {
  std::size_t size = 0;
  if (hs_serialized_database_size(serialized.data(), serialized.size(), &size) != HS_SUCCESS ||
      size == 0) {
    return nullptr;
  }
  void* mem = ::mmap(nullptr, size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (mem == MAP_FAILED) return nullptr;
  HsDatabasePtr db(static_cast<hs_database_t*>(mem), HsDatabaseDeleter{size});
  if (hs_deserialize_database_at(serialized.data(), serialized.size(), db.get()) != HS_SUCCESS) {
    return nullptr;  // a corrupt or foreign cache file: recompile
  }
  return db;
}

HsDatabasePtr LoadCached(const std::filesystem::path& file, std::vector<HsPattern>& patterns) {
  const MappedFile mapped(file);
  std::string_view v = mapped.bytes();
  if (v.substr(0, sizeof kCacheMagic - 1) != kCacheMagic) return nullptr;
  v.remove_prefix(sizeof kCacheMagic - 1);
  std::uint64_t n = 0;
  if (!Get(v, n) || n != patterns.size()) return nullptr;
  struct Loaded {
    HsMode mode;
    std::uint64_t max_width;
    std::string_view error;
  };
  std::vector<Loaded> loaded(patterns.size());
  for (Loaded& p : loaded) {
    std::uint8_t mode = 0;
    std::uint64_t err_len = 0;
    if (!Get(v, mode) || mode > 2 || !Get(v, p.max_width) || !Get(v, err_len) ||
        err_len > v.size()) {
      return nullptr;
    }
    p.mode = static_cast<HsMode>(mode);
    p.error = v.substr(0, err_len);
    v.remove_prefix(err_len);
  }
  HsDatabasePtr db = DeserializeInto(v);
  if (!db) return nullptr;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    patterns[i].mode = loaded[i].mode;
    patterns[i].max_width = loaded[i].max_width;
    patterns[i].error.assign(loaded[i].error);
  }
  return db;
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

void HsDatabaseDeleter::operator()(hs_database_t* db) const {
  if (mapped_bytes != 0) {
    ::munmap(db, mapped_bytes);
  } else {
    hs_free_database(db);
  }
}

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
