// Directory walking, excludes, .leakproofignore files, link and loop handling.
#include "scan/walker.h"

#include <climits>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <filesystem>
#include <fnmatch.h>
#include <fstream>
#include <linux/magic.h>
#include <memory>
#include <optional>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unordered_set>

namespace leakproof::scanner {
namespace fs = std::filesystem;
namespace {

// (device, inode): what makes two paths the same directory or file.
struct FileId {
  dev_t dev = 0;
  ino_t ino = 0;
  bool operator==(const FileId& o) const { return dev == o.dev && ino == o.ino; }
};
struct FileIdHash {
  std::size_t operator()(const FileId& id) const {
    return std::hash<std::uint64_t>()(static_cast<std::uint64_t>(id.ino) * 1000003u ^
                                      static_cast<std::uint64_t>(id.dev));
  }
};

// The globs of one .leakproofignore. Patterns are relative to the file's directory,
// like .gitignore, and apply only below it. A path relative to the scan root is matched
// as `prefix` + (the path less `scope`), for paths that start with `scope`:
// - at the scan root: prefix "" and scope "";
// - at an enclosing repository root above the scan root: prefix "sub/dir/" (where the
//   scan root sits in the repository), scope "";
// - in a directory "a/b" below the scan root: prefix "", scope "a/b/".
struct IgnoreFile {
  std::string prefix;
  std::string scope;
  std::vector<std::string> globs;
};
using IgnoreFiles = std::shared_ptr<const std::vector<IgnoreFile>>;

std::vector<std::string> ReadIgnoreFile(const fs::path& dir) {
  std::vector<std::string> globs;
  std::ifstream in(dir / ".leakproofignore");
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    globs.push_back(line);
  }
  return globs;
}

std::string RealPath(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) return {};
  return buf;
}

// The nearest directory at or above `dir` (an absolute, resolved path) holding a .git
// directory or file: the repository root git itself would use. Empty when none.
std::string EnclosingGitRoot(const std::string& dir) {
  fs::path p(dir);
  while (true) {
    struct stat st {};
    if (::lstat((p / ".git").c_str(), &st) == 0) return p.string();
    if (!p.has_relative_path()) return {};
    p = p.parent_path();
  }
}

bool Inside(const std::string& path, const std::string& dir) {
  if (dir == "/") return true;
  return path.size() >= dir.size() && path.compare(0, dir.size(), dir) == 0 &&
         (path.size() == dir.size() || path[dir.size()] == '/');
}

std::string Join(const std::string& dir, const std::string& name) {
  return !dir.empty() && dir.back() == '/' ? dir + name : dir + "/" + name;
}

class Walker {
 public:
  Walker(const WalkOptions& options, const std::function<bool(WalkItem)>& emit,
         const std::function<void(Diagnostic)>& diagnose, const OpenDirFn& open_dir)
      : options_(options), emit_(emit), diagnose_(diagnose), open_dir_(open_dir) {}

  bool Run(const std::vector<std::string>& roots) {
    for (const std::string& root : roots) {
      struct stat st {};
      if (root != "-" && ::stat(root.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        const std::string real = RealPath(root);
        if (!real.empty()) root_dirs_.push_back(real);
      }
    }
    bool all_ok = true;
    for (const std::string& root : roots) {
      if (stopped_) break;
      if (!Root(root)) all_ok = false;
    }
    return all_ok;
  }

 private:
  struct Pending {
    std::string path;     // to open and to report
    std::string rel;      // relative to the scan root, for globs
    dev_t dev = 0;        // the directory's device: its entries' inodes live there
    IgnoreFiles ignores;  // the ignore files that apply in this directory
  };

  struct Entry {
    std::string name;
    unsigned char type;
    ino_t ino;
  };

  void Diag(DiagnosticLevel level, StatusCode code, const std::string& where, std::string msg) {
    diagnose_(Diagnostic{level, code, where, std::move(msg)});
  }

  bool Emit(WalkItem item) {
    if (!emit_(std::move(item))) stopped_ = true;
    return !stopped_;
  }

  // False when the root could not be scanned at all.
  bool Root(const std::string& root) {
    if (root == "-") {
      Emit({"-", "-", true});
      return true;
    }
    struct stat st {};
    if (::lstat(root.c_str(), &st) != 0) {
      Diag(DiagnosticLevel::kError, StatusCode::kNotFound, root, "no such file or directory");
      return false;
    }
    // A link the user named is followed: they asked for what it points to.
    if (S_ISLNK(st.st_mode) && ::stat(root.c_str(), &st) != 0) {
      Diag(DiagnosticLevel::kError, StatusCode::kNotFound, root, "broken symbolic link");
      return false;
    }
    if (S_ISREG(st.st_mode)) return NamedFile(root, st);
    if (!S_ISDIR(st.st_mode)) {
      // A FIFO would block a read forever; devices and sockets are not files to scan.
      Diag(DiagnosticLevel::kError, StatusCode::kUnsupported, root,
           "not a regular file or directory (FIFO, socket or device): skipped; "
           "pipe it to 'leakproof scan -' to scan a stream");
      return false;
    }
    return Tree(root, st);
  }

  // The ignore files that apply under the directory whose resolved path is `real`:
  // its own and the enclosing repository's.
  std::vector<IgnoreFile> IgnoreFilesFor(const std::string& real) const {
    std::vector<IgnoreFile> files;
    if (!options_.use_ignore_file || real.empty()) return files;
    files.push_back({"", "", ReadIgnoreFile(real)});
    const std::string git = EnclosingGitRoot(real);
    if (!git.empty() && git != real) {
      std::string prefix = fs::path(real).lexically_relative(git).generic_string();
      prefix = prefix == "." ? "" : prefix + "/";
      files.push_back({std::move(prefix), "", ReadIgnoreFile(git)});
    }
    return files;
  }

  // The ignore files for the subdirectories of `dir`: the ones that apply in `dir`,
  // plus dir's own .leakproofignore when it has one (the root's was read up front).
  IgnoreFiles IgnoreFilesBelow(const Pending& dir, const std::vector<Entry>& entries,
                               bool is_root) const {
    if (!options_.use_ignore_file || is_root) return dir.ignores;
    const bool has_own = std::any_of(entries.begin(), entries.end(), [](const Entry& e) {
      return e.name == ".leakproofignore" && e.type != DT_DIR;
    });
    if (!has_own) return dir.ignores;
    auto files = std::make_shared<std::vector<IgnoreFile>>(*dir.ignores);
    files->push_back({"", dir.rel + "/", ReadIgnoreFile(dir.path)});
    return files;
  }

  // Which rule excludes `rel` (relative to the scan root), or null.
  const char* ExcludedBy(const std::vector<IgnoreFile>& ignores, const std::string& rel) const {
    for (const std::string& g : options_.excludes) {
      if (GlobMatches(g, rel)) return "--exclude";
    }
    for (const IgnoreFile& f : ignores) {
      if (rel.compare(0, f.scope.size(), f.scope) != 0) continue;
      const std::string below = f.prefix + rel.substr(f.scope.size());
      for (const std::string& g : f.globs) {
        if (GlobMatches(g, below)) return ".leakproofignore";
      }
    }
    return nullptr;
  }

  // A file named on the command line: the same excludes and ignore files as a walked
  // one (a pre-commit hook passes the staged files by name), matched against its path
  // relative to the enclosing repository when there is one.
  bool NamedFile(const std::string& path, const struct stat& st) {
    const std::string real = RealPath(path);
    const fs::path real_dir = fs::path(real).parent_path();
    std::string rel = fs::path(path).lexically_normal().generic_string();
    const std::string git = real.empty() ? "" : EnclosingGitRoot(real_dir.string());
    if (!git.empty()) {
      rel = fs::path(real).lexically_relative(git).generic_string();
    } else if (fs::path(path).is_absolute()) {
      rel = fs::path(path).filename().string();  // no repository: the name is all we know
    }
    std::vector<IgnoreFile> ignores;
    if (options_.use_ignore_file && !git.empty()) {
      // The repository root's file and those of the directories down to the file's own.
      ignores.push_back({"", "", ReadIgnoreFile(git)});
      std::string scope;
      for (const fs::path& part : fs::path(rel).parent_path()) {
        scope += part.generic_string() + "/";
        ignores.push_back({"", scope, ReadIgnoreFile(fs::path(git) / scope)});
      }
    }
    if (const char* by = ExcludedBy(ignores, rel)) {
      Diag(DiagnosticLevel::kInfo, StatusCode::kOk, path,
           std::string("excluded by ") + by + ": not scanned");
      return true;
    }
    if (!seen_files_.insert({st.st_dev, st.st_ino}).second) {
      Diag(DiagnosticLevel::kInfo, StatusCode::kOk, path,
           "same file as one already scanned in this run (named twice or linked): not scanned "
           "again");
      return true;
    }
    Emit({path, path, false});
    return true;
  }

  bool Tree(const std::string& root, const struct stat& st) {
    if (!visited_dirs_.insert({st.st_dev, st.st_ino}).second) {
      Diag(DiagnosticLevel::kInfo, StatusCode::kOk, root,
           "directory already walked in this run: not walked again");
      return true;
    }
    std::vector<Pending> stack{
        {root, "", st.st_dev,
         std::make_shared<const std::vector<IgnoreFile>>(IgnoreFilesFor(RealPath(root)))}};
    // Followed links wait until the tree itself is done, so that a file reached both
    // by its own name and through a link is reported under its own name.
    std::vector<Pending> links;
    bool first = true;
    while (!stopped_) {
      if (stack.empty()) {
        if (links.empty()) break;
        Pending link = std::move(links.back());
        links.pop_back();
        if (auto dir = FollowLink(link)) stack.push_back(std::move(*dir));
        continue;
      }
      Pending dir = std::move(stack.back());
      stack.pop_back();
      std::vector<Pending> subdirs;
      const std::size_t links_before = links.size();
      if (!Directory(dir, first, subdirs, links)) return false;
      first = false;
      for (auto it = subdirs.rbegin(); it != subdirs.rend(); ++it) stack.push_back(std::move(*it));
      std::reverse(links.begin() + static_cast<std::ptrdiff_t>(links_before), links.end());
    }
    return true;
  }

  // Lists `dir`, emits its files, and appends the subdirectories to walk. False only
  // when `dir` is the root and cannot be opened.
  bool Directory(const Pending& dir, bool is_root, std::vector<Pending>& subdirs,
                 std::vector<Pending>& links) {
    std::vector<Entry> entries;
    if (!List(dir.path, entries)) {
      const int err = errno;
      if (is_root) {
        Diag(DiagnosticLevel::kError, StatusCode::kIOError, dir.path,
             std::string("cannot open directory: ") + std::strerror(err));
        return false;
      }
      Diag(DiagnosticLevel::kWarning, StatusCode::kIOError, dir.path,
           std::string("cannot read directory (") + std::strerror(err) +
               "): nothing below it was scanned");
      return true;
    }
    const IgnoreFiles below = IgnoreFilesBelow(dir, entries, is_root);
    const std::vector<IgnoreFile>& ignores = *below;
    for (const Entry& e : entries) {
      if (stopped_) return true;
      const std::string path = Join(dir.path, e.name);
      const std::string rel = dir.rel.empty() ? e.name : dir.rel + "/" + e.name;
      unsigned char type = e.type;
      FileId id{dir.dev, e.ino};
      struct stat st {};
      if (type == DT_UNKNOWN || e.ino == 0) {
        if (::lstat(path.c_str(), &st) != 0) continue;  // gone since the listing
        type = S_ISDIR(st.st_mode)   ? DT_DIR
               : S_ISREG(st.st_mode) ? DT_REG
               : S_ISLNK(st.st_mode) ? DT_LNK
                                     : DT_FIFO;
        id = {st.st_dev, st.st_ino};
      }
      if (type == DT_DIR) {
        if (e.name == ".git" || ExcludedBy(ignores, rel) || ExcludedBy(ignores, rel + "/")) {
          continue;
        }
        if (::lstat(path.c_str(), &st) != 0) continue;
        // A bind mount can show a directory twice; a plain tree never does.
        if (visited_dirs_.insert({st.st_dev, st.st_ino}).second) {
          subdirs.push_back({path, rel, st.st_dev, below});
        }
        continue;
      }
      if (ExcludedBy(ignores, rel)) continue;
      if (type == DT_LNK) {
        if (Link(path)) links.push_back({path, rel, 0, below});
        continue;
      }
      if (type != DT_REG) {
        Diag(DiagnosticLevel::kWarning, StatusCode::kUnsupported, path,
             "not a regular file (FIFO, socket or device): skipped");
        continue;
      }
      if (!seen_files_.insert(id).second) {
        Diag(DiagnosticLevel::kInfo, StatusCode::kOk, path,
             "hard link to a file already scanned in this run: not scanned again");
        continue;
      }
      if (!Emit({path, path, false})) return true;
    }
    return true;
  }

  // Reads every entry of `path`, sorted by name so runs are reproducible. False (errno
  // set) when the directory cannot be opened or read.
  bool List(const std::string& path, std::vector<Entry>& out) {
    DIR* d = static_cast<DIR*>(open_dir_ ? open_dir_(path) : ::opendir(path.c_str()));
    if (d == nullptr) return false;
    while (true) {
      errno = 0;
      const dirent* e = ::readdir(d);
      if (e == nullptr) break;
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      out.push_back({e->d_name, e->d_type, e->d_ino});
    }
    const int err = errno;
    ::closedir(d);
    if (err != 0) {
      errno = err;
      return false;
    }
    std::sort(out.begin(), out.end(),
              [](const Entry& a, const Entry& b) { return a.name < b.name; });
    return true;
  }

  bool InsideRoots(const std::string& real) const {
    for (const std::string& r : root_dirs_) {
      if (Inside(real, r)) return true;
    }
    return false;
  }

  // A symbolic link met while walking: true when it is to be followed (later, see
  // Tree()). Not following one whose target lies outside the scanned paths leaves that
  // target unscanned, which is said.
  bool Link(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      Diag(DiagnosticLevel::kWarning, StatusCode::kNotFound, path,
           std::string("broken symbolic link (") + std::strerror(errno) + ")");
      return false;
    }
    if (options_.follow_symlinks) return true;
    const std::string real = RealPath(path);
    if (real.empty() || !InsideRoots(real)) {
      Diag(DiagnosticLevel::kWarning, StatusCode::kUnsupported, path,
           "symbolic link to a target outside the scanned paths: not followed, so its "
           "target was not scanned; name the target or pass --follow-symlinks");
    }
    return false;  // otherwise the target is scanned where it lives
  }

  // True when following into `real` would walk back over a scanned path and the whole
  // tree around it: a link to "/", to /proc/self/root, or to "../.." above a root.
  bool HoldsARoot(const std::string& real) const {
    for (const std::string& r : root_dirs_) {
      if (Inside(r, real)) return true;
    }
    return false;
  }

  // Follows a link (--follow-symlinks): a file is emitted unless already scanned; a
  // directory is returned to be walked, unless already walked (a loop: said once per
  // directory) or it holds a scanned path, or it is a kernel pseudo filesystem.
  std::optional<Pending> FollowLink(const Pending& link) {
    struct stat st {};
    if (::stat(link.path.c_str(), &st) != 0) return std::nullopt;  // gone since
    const FileId id{st.st_dev, st.st_ino};
    if (S_ISREG(st.st_mode)) {
      if (seen_files_.insert(id).second) Emit({link.path, link.path, false});
      return std::nullopt;  // else scanned under its own name, or through another link
    }
    if (!S_ISDIR(st.st_mode)) {
      Diag(DiagnosticLevel::kWarning, StatusCode::kUnsupported, link.path,
           "symbolic link to something that is not a regular file (FIFO, socket or device): "
           "skipped");
      return std::nullopt;
    }
    if (visited_dirs_.count(id) != 0) {
      // Once per directory: a loop reached from many places is still one loop.
      if (reported_dirs_.insert(id).second) {
        Diag(DiagnosticLevel::kInfo, StatusCode::kOk, link.path,
             "symbolic link to a directory already walked (a loop, or a second path to it): "
             "not walked again");
      }
      return std::nullopt;
    }
    const std::string real = RealPath(link.path);
    struct statfs fs {};
    const bool pseudo = ::statfs(link.path.c_str(), &fs) == 0 &&
                        (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC);
    if (real.empty() || HoldsARoot(real) || pseudo) {
      if (reported_dirs_.insert(id).second) {
        Diag(DiagnosticLevel::kWarning, StatusCode::kUnsupported, link.path,
             pseudo ? "symbolic link into /proc or /sys: not followed (kernel files, not "
                      "artifacts; some never end)"
                    : "symbolic link to a directory holding the scanned paths (such as / or "
                      "/proc/self/root): not followed, it would walk everything around them; "
                      "name what should be scanned");
      }
      return std::nullopt;
    }
    visited_dirs_.insert(id);
    return Pending{link.path, link.rel, st.st_dev, link.ignores};
  }

  const WalkOptions& options_;
  const std::function<bool(WalkItem)>& emit_;
  const std::function<void(Diagnostic)>& diagnose_;
  const OpenDirFn& open_dir_;
  std::vector<std::string> root_dirs_;  // resolved paths of the directories named
  std::unordered_set<FileId, FileIdHash> visited_dirs_;
  std::unordered_set<FileId, FileIdHash> seen_files_;
  std::unordered_set<FileId, FileIdHash> reported_dirs_;
  bool stopped_ = false;
};

}  // namespace

bool GlobMatches(const std::string& pattern, const std::string& relative_path) {
  std::string pat = pattern;
  // "dir/" means the directory and everything below it.
  if (!pat.empty() && pat.back() == '/') pat += "*";
  if (fnmatch(pat.c_str(), relative_path.c_str(), 0) == 0) return true;
  for (std::size_t i = relative_path.find('/'); i != std::string::npos;
       i = relative_path.find('/', i + 1)) {
    if (fnmatch(pat.c_str(), relative_path.c_str() + i + 1, 0) == 0) return true;
  }
  return false;
}

bool Walk(const std::vector<std::string>& roots, const WalkOptions& options,
          const std::function<bool(WalkItem)>& emit,
          const std::function<void(Diagnostic)>& diagnose, const OpenDirFn& open_dir) {
  return Walker(options, emit, diagnose, open_dir).Run(roots);
}

}  // namespace leakproof::scanner
