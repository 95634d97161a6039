// Directory walking, excludes and .leakproofignore.
#include "scan/walker.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fnmatch.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace leakproof::scanner {
namespace fs = std::filesystem;
namespace {

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

bool Excluded(const std::vector<std::string>& globs, const std::string& rel) {
  for (const std::string& g : globs) {
    if (GlobMatches(g, rel)) return true;
  }
  return false;
}

Diagnostic Diag(DiagnosticLevel level, StatusCode code, const std::string& where, std::string msg) {
  return Diagnostic{level, code, where, std::move(msg)};
}

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
          const std::function<void(Diagnostic)>& diagnose) {
  bool all_ok = true;
  for (const std::string& root : roots) {
    if (root == "-") {
      if (!emit({"-", "-", true})) return all_ok;
      continue;
    }
    struct stat st {};
    if (lstat(root.c_str(), &st) != 0) {
      diagnose(
          Diag(DiagnosticLevel::kError, StatusCode::kNotFound, root, "no such file or directory"));
      all_ok = false;
      continue;
    }
    if (S_ISLNK(st.st_mode) && stat(root.c_str(), &st) != 0) {
      diagnose(Diag(DiagnosticLevel::kError, StatusCode::kNotFound, root, "broken symbolic link"));
      all_ok = false;
      continue;
    }
    if (S_ISREG(st.st_mode)) {
      if (!emit({root, root, false})) return all_ok;
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      // A FIFO would block a read forever; devices and sockets are not files to scan.
      diagnose(Diag(DiagnosticLevel::kError, StatusCode::kUnsupported, root,
                    "not a regular file or directory (FIFO, socket or device): skipped; "
                    "pipe it to 'leakproof scan -' to scan a stream"));
      all_ok = false;
      continue;
    }
    // skip_permission_denied below would make an unreadable directory look empty.
    if (::access(root.c_str(), R_OK | X_OK) != 0) {
      diagnose(Diag(DiagnosticLevel::kError, StatusCode::kIOError, root,
                    "cannot read directory: " + std::string(std::strerror(errno))));
      all_ok = false;
      continue;
    }
    std::vector<std::string> globs = options.excludes;
    if (options.use_ignore_file) {
      for (std::string& g : ReadIgnoreFile(root)) globs.push_back(std::move(g));
    }
    std::error_code ec;
    auto opts = fs::directory_options::skip_permission_denied;
    if (options.follow_symlinks) opts |= fs::directory_options::follow_directory_symlink;
    fs::recursive_directory_iterator it(root, opts, ec);
    if (ec) {
      diagnose(Diag(DiagnosticLevel::kError, StatusCode::kIOError, root,
                    "cannot open directory: " + ec.message()));
      all_ok = false;
      continue;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) {
        diagnose(Diag(DiagnosticLevel::kWarning, StatusCode::kIOError, it->path().string(),
                      ec.message()));
        ec.clear();
        continue;
      }
      const fs::path& p = it->path();
      // Lexical: every entry lies under `root` by construction. fs::relative() would
      // resolve each path component with readlink(), a syscall per directory level
      // per file, which was a tenth of a scan of many small files.
      const std::string rel = p.lexically_relative(root).generic_string();
      const std::string name = p.filename().string();
      std::error_code sec;
      const fs::file_status lst = it->symlink_status(sec);
      if (fs::is_directory(lst)) {
        if (name == ".git" || Excluded(globs, rel) || Excluded(globs, rel + "/")) {
          it.disable_recursion_pending();
        } else if (::access(p.c_str(), R_OK | X_OK) != 0) {
          // The iterator skips it silently (skip_permission_denied): say what was lost.
          diagnose(Diag(
              DiagnosticLevel::kWarning, StatusCode::kIOError, p.string(),
              "cannot read directory: " + std::string(std::strerror(errno)) + ": not scanned"));
          it.disable_recursion_pending();
        }
        continue;
      }
      if (Excluded(globs, rel)) continue;
      if (fs::is_symlink(lst)) {
        const fs::file_status target = it->status(sec);
        if (sec || !fs::exists(target)) {
          // Info: a dangling link has no bytes to miss (a named one is an error above).
          diagnose(Diag(DiagnosticLevel::kInfo, StatusCode::kNotFound, p.string(),
                        "broken symbolic link"));
          continue;
        }
        if (!options.follow_symlinks) continue;  // the target is scanned where it lives
        if (fs::is_directory(target)) continue;  // followed by the iterator itself
        if (!fs::is_regular_file(target)) continue;
      } else if (!fs::is_regular_file(lst)) {
        // Info: a FIFO, socket or device inside a tree is not an artifact; nothing missed.
        diagnose(Diag(DiagnosticLevel::kInfo, StatusCode::kUnsupported, p.string(),
                      "not a regular file (FIFO, socket or device): skipped"));
        continue;
      }
      if (!emit({p.string(), p.string(), false})) return all_ok;
    }
  }
  return all_ok;
}

}  // namespace leakproof::scanner
