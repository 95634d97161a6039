// hs_raw: the practical throughput limit for leakproof's stage 1.
//
// Compiles every regex of a pattern file (one per line; the line number is the Hyperscan id)
// into ONE block-mode database with the same flags the engine uses (none; HS_FLAG_PREFILTER
// for a pattern Hyperscan cannot take exactly; left out if it cannot take it at all), walks
// the given paths, read()s each file into a reused per-thread buffer and hs_scan()s it with
// N threads. No confirmation, no reporting: this is the ceiling a real scanner can approach.
//
//   hs_raw [-j N] [--hits FILE] [--db-cache FILE] PATTERNS PATH...
//
// Prints a human summary on stderr and one machine-readable line on stdout:
//   RESULT files=.. bytes=.. seconds=.. mbps=.. matches=.. files_with_matches=.. ...
// --hits FILE writes "path<TAB>pattern-id<TAB>end-offset" for every match.
// --profile MB: instead of the timed run, load about MB megabytes of the files (every k-th
// file, so all packages are represented) into memory, then compile each pattern ALONE and
// time one scan of that sample with it; prints "seconds<TAB>MB/s<TAB>matches<TAB>id" per
// pattern, slowest first, on stdout. Finds the rules that drag the shared database down.
// --db-cache FILE loads the serialized database from FILE if it is there (the engine's warm
// cache), else compiles and stores it there: a second run then pays no compile.
#include <hs/hs.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

[[noreturn]] void Die(const std::string& msg) {
  std::fprintf(stderr, "hs_raw: %s\n", msg.c_str());
  std::exit(2);
}

constexpr std::uint64_t kMaxBlock = std::numeric_limits<std::uint32_t>::max() / 2;

struct Hit {
  std::uint32_t file;
  std::uint32_t id;
  std::uint64_t end;
};

struct Worker {
  hs_scratch_t* scratch = nullptr;
  std::vector<char> buf;
  std::uint64_t bytes = 0, files = 0, matches = 0, files_with_matches = 0, errors = 0;
  std::vector<Hit> hits;
  bool keep_hits = false;
  std::uint32_t cur_file = 0;
  std::uint64_t cur_matches = 0;
  std::uint64_t base = 0;  // offset of the current chunk in the file
};

int OnMatch(unsigned id, unsigned long long /*from*/, unsigned long long to, unsigned /*flags*/,
            void* ctx) {
  auto* w = static_cast<Worker*>(ctx);
  ++w->cur_matches;
  if (w->keep_hits) w->hits.push_back({w->cur_file, id, w->base + to});
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2;
  std::string hits_path, cache_path;
  double profile_mb = 0;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "-j" || a == "--threads") && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else if (a.rfind("-j", 0) == 0 && a.size() > 2) {
      threads = std::atoi(a.c_str() + 2);
    } else if (a == "--hits" && i + 1 < argc) {
      hits_path = argv[++i];
    } else if (a == "--profile" && i + 1 < argc) {
      profile_mb = std::atof(argv[++i]);
    } else if (a == "--db-cache" && i + 1 < argc) {
      cache_path = argv[++i];
    } else if (a == "-h" || a == "--help") {
      std::fprintf(stderr, "usage: hs_raw [-j N] [--hits FILE] PATTERNS PATH...\n");
      return 0;
    } else {
      args.push_back(a);
    }
  }
  if (args.size() < 2 || threads < 1) Die("usage: hs_raw [-j N] [--hits FILE] PATTERNS PATH...");

  const auto t0 = Clock::now();

  // ---- patterns
  std::vector<std::string> regexes;
  {
    std::ifstream in(args[0]);
    if (!in) Die("cannot open pattern file " + args[0]);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      regexes.push_back(line);
    }
  }
  std::vector<const char*> exprs;
  std::vector<unsigned> flags, ids;
  int n_exact = 0, n_prefilter = 0, n_excluded = 0;
  for (std::size_t i = 0; i < regexes.size(); ++i) {
    if (regexes[i].empty()) continue;
    unsigned chosen = ~0u;
    for (unsigned f : {0u, static_cast<unsigned>(HS_FLAG_PREFILTER)}) {
      hs_expr_info_t* info = nullptr;
      hs_compile_error_t* err = nullptr;
      if (hs_expression_info(regexes[i].c_str(), f, &info, &err) == HS_SUCCESS) {
        std::free(info);
        chosen = f;
        break;
      }
      hs_free_compile_error(err);
    }
    if (chosen == ~0u) {
      ++n_excluded;
      std::fprintf(stderr, "hs_raw: pattern %zu excluded (Hyperscan rejects it)\n", i);
      continue;
    }
    exprs.push_back(regexes[i].c_str());
    flags.push_back(chosen);
    ids.push_back(static_cast<unsigned>(i));
  }
  if (exprs.empty()) Die("no usable patterns in " + args[0]);

  hs_database_t* db = nullptr;
  bool from_cache = false;
  if (!cache_path.empty()) {
    std::ifstream in(cache_path, std::ios::binary);
    if (in) {
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      from_cache = hs_deserialize_database(bytes.data(), bytes.size(), &db) == HS_SUCCESS;
      if (!from_cache) db = nullptr;
    }
  }
  hs_platform_info_t platform;
  hs_populate_platform(&platform);
  while (!from_cache) {
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(exprs.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, &platform, &db,
                         &err) == HS_SUCCESS) {
      break;
    }
    const int bad = err->expression;
    std::string msg = err->message;
    hs_free_compile_error(err);
    if (bad < 0 || static_cast<std::size_t>(bad) >= exprs.size()) Die("compile failed: " + msg);
    if (flags[bad] == 0) {
      flags[bad] = HS_FLAG_PREFILTER;  // same degrade step as the engine
    } else {
      std::fprintf(stderr, "hs_raw: pattern %u excluded: %s\n", ids[bad], msg.c_str());
      ++n_excluded;
      exprs.erase(exprs.begin() + bad);
      flags.erase(flags.begin() + bad);
      ids.erase(ids.begin() + bad);
      if (exprs.empty()) Die("no pattern compiles");
    }
  }
  for (unsigned f : flags) (f == 0 ? n_exact : n_prefilter)++;
  if (!cache_path.empty() && !from_cache) {
    char* bytes = nullptr;
    size_t len = 0;
    if (hs_serialize_database(db, &bytes, &len) == HS_SUCCESS) {
      std::ofstream out(cache_path, std::ios::binary | std::ios::trunc);
      out.write(bytes, static_cast<std::streamsize>(len));
      std::free(bytes);
    }
  }
  const auto t_compiled = Clock::now();

  // ---- walk (part of the measured time, like any real scanner)
  std::vector<std::string> files;
  for (std::size_t a = 1; a < args.size(); ++a) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(args[a], ec)) {
      files.push_back(args[a]);
      continue;
    }
    if (!std::filesystem::is_directory(args[a], ec)) Die("not a file or directory: " + args[a]);
    for (auto it = std::filesystem::recursive_directory_iterator(
             args[a], std::filesystem::directory_options::skip_permission_denied, ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_regular_file(ec) && !it->is_symlink(ec)) files.push_back(it->path().string());
    }
  }
  const auto t_walked = Clock::now();

  if (profile_mb > 0) {
    // ---- per-pattern cost profile on an in-memory sample
    std::uint64_t total_size = 0;
    std::vector<std::uint64_t> sizes(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
      struct stat st {};
      sizes[i] = ::stat(files[i].c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
      total_size += sizes[i];
    }
    const std::uint64_t want = static_cast<std::uint64_t>(profile_mb * 1e6);
    const std::size_t step = std::max<std::uint64_t>(1, want ? total_size / want : 1);
    std::vector<std::string> sample;
    std::uint64_t have = 0;
    for (std::size_t i = 0; i < files.size() && have < want; i += step) {
      std::ifstream in(files[i], std::ios::binary);
      std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (data.size() > kMaxBlock) continue;
      have += data.size();
      sample.push_back(std::move(data));
    }
    auto time_db = [&](hs_database_t* d, std::uint64_t* matches) {
      hs_scratch_t* sc = nullptr;
      if (hs_alloc_scratch(d, &sc) != HS_SUCCESS) Die("hs_alloc_scratch failed");
      Worker w;
      const auto a = Clock::now();
      for (const std::string& s : sample) {
        hs_scan(d, s.data(), static_cast<unsigned>(s.size()), 0, sc, OnMatch, &w);
      }
      const double t = Seconds(a, Clock::now());
      hs_free_scratch(sc);
      *matches = w.cur_matches;
      return t;
    };
    std::uint64_t m_all = 0;
    const double t_all = time_db(db, &m_all);
    std::fprintf(stderr,
                 "hs_raw: profile sample %zu files, %.1f MB; all %zu patterns in one database: "
                 "%.3f s = %.1f MB/s\n",
                 sample.size(), have / 1e6, exprs.size(), t_all, have / 1e6 / t_all);
    struct Cost {
      double secs;
      std::uint64_t matches;
      unsigned id;
    };
    std::vector<Cost> costs;
    for (std::size_t k = 0; k < exprs.size(); ++k) {
      hs_database_t* one = nullptr;
      hs_compile_error_t* err = nullptr;
      if (hs_compile(exprs[k], flags[k], HS_MODE_BLOCK, &platform, &one, &err) != HS_SUCCESS) {
        hs_free_compile_error(err);
        continue;
      }
      std::uint64_t m = 0;
      costs.push_back({time_db(one, &m), m, ids[k]});
      hs_free_database(one);
    }
    std::sort(costs.begin(), costs.end(),
              [](const Cost& x, const Cost& y) { return x.secs > y.secs; });
    std::printf(
        "# seconds\tMB/s\tmatches\tpattern-line (0-based)\t(all-in-one: %.4f s, %.1f MB/s over "
        "%.1f MB)\n",
        t_all, have / 1e6 / t_all, have / 1e6);
    for (const Cost& c : costs) {
      std::printf("%.4f\t%.1f\t%llu\t%u\n", c.secs, have / 1e6 / c.secs,
                  static_cast<unsigned long long>(c.matches), c.id);
    }
    hs_free_database(db);
    return 0;
  }

  // ---- scan
  std::vector<Worker> workers(threads);
  hs_scratch_t* proto = nullptr;
  if (hs_alloc_scratch(db, &proto) != HS_SUCCESS) Die("hs_alloc_scratch failed");
  for (auto& w : workers) {
    if (hs_clone_scratch(proto, &w.scratch) != HS_SUCCESS) Die("hs_clone_scratch failed");
    w.buf.resize(1 << 20);
    w.keep_hits = !hits_path.empty();
  }
  std::atomic<std::size_t> next{0};
  auto run = [&](Worker& w) {
    for (;;) {
      const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= files.size()) return;
      const int fd = ::open(files[i].c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        ++w.errors;
        continue;
      }
      struct stat st {};
      if (::fstat(fd, &st) == 0 && static_cast<std::uint64_t>(st.st_size) + 1 > w.buf.size()) {
        w.buf.resize(static_cast<std::size_t>(st.st_size) + 1);
      }
      std::size_t len = 0;
      for (;;) {
        if (len == w.buf.size()) w.buf.resize(w.buf.size() * 2);
        const ssize_t r = ::read(fd, w.buf.data() + len, w.buf.size() - len);
        if (r < 0) {
          ++w.errors;
          break;
        }
        if (r == 0) break;
        len += static_cast<std::size_t>(r);
      }
      ::close(fd);
      w.cur_file = static_cast<std::uint32_t>(i);
      w.cur_matches = 0;
      // Files above 2 GiB are scanned in pieces without overlap (none in the corpus).
      for (std::uint64_t off = 0; off < len || off == 0; off += kMaxBlock) {
        w.base = off;
        const auto n = static_cast<unsigned>(std::min<std::uint64_t>(kMaxBlock, len - off));
        if (hs_scan(db, w.buf.data() + off, n, 0, w.scratch, OnMatch, &w) != HS_SUCCESS) ++w.errors;
        if (len == 0) break;
      }
      w.bytes += len;
      ++w.files;
      w.matches += w.cur_matches;
      if (w.cur_matches) ++w.files_with_matches;
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(run, std::ref(workers[t]));
  run(workers[0]);
  for (auto& th : pool) th.join();
  const auto t_done = Clock::now();

  Worker total;
  for (auto& w : workers) {
    total.bytes += w.bytes;
    total.files += w.files;
    total.matches += w.matches;
    total.files_with_matches += w.files_with_matches;
    total.errors += w.errors;
    hs_free_scratch(w.scratch);
  }
  hs_free_scratch(proto);
  hs_free_database(db);

  if (!hits_path.empty()) {
    FILE* f = std::fopen(hits_path.c_str(), "w");
    if (!f) Die("cannot write " + hits_path);
    for (auto& w : workers) {
      for (const Hit& h : w.hits) {
        std::fprintf(f, "%s\t%u\t%llu\n", files[h.file].c_str(), h.id,
                     static_cast<unsigned long long>(h.end));
      }
    }
    std::fclose(f);
  }

  const double secs = Seconds(t0, t_done);
  const double scan_secs = Seconds(t_walked, t_done);
  const double mb = static_cast<double>(total.bytes) / 1e6;
  std::fprintf(stderr,
               "hs_raw: %zu patterns (%d exact, %d prefilter, %d excluded), %s %.3f s, "
               "walk %.3f s (%zu files), scan %.3f s with %d threads\n"
               "hs_raw: %.1f MB in %.3f s = %.1f MB/s end to end (%.1f MB/s scan loop), "
               "%llu matches in %llu files, %llu errors\n",
               regexes.size(), n_exact, n_prefilter, n_excluded,
               from_cache ? "cached database loaded in" : "compile", Seconds(t0, t_compiled),
               Seconds(t_compiled, t_walked), files.size(), scan_secs, threads, mb, secs, mb / secs,
               mb / scan_secs, static_cast<unsigned long long>(total.matches),
               static_cast<unsigned long long>(total.files_with_matches),
               static_cast<unsigned long long>(total.errors));
  std::printf(
      "RESULT files=%llu bytes=%llu seconds=%.4f mbps=%.1f scan_mbps=%.1f matches=%llu "
      "files_with_matches=%llu exact=%d prefilter=%d excluded=%d compile_s=%.4f db_cached=%d "
      "threads=%d errors=%llu\n",
      static_cast<unsigned long long>(total.files), static_cast<unsigned long long>(total.bytes),
      secs, mb / secs, mb / scan_secs, static_cast<unsigned long long>(total.matches),
      static_cast<unsigned long long>(total.files_with_matches), n_exact, n_prefilter, n_excluded,
      Seconds(t0, t_compiled), from_cache ? 1 : 0, threads,
      static_cast<unsigned long long>(total.errors));
  return total.errors ? 1 : 0;
}
