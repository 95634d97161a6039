// WriteTree (writer.h): validate every path first, then write each file atomically
// (temporary file + rename) so a crash never leaves half a stub behind.
#include "leakproof/proxy/bff/writer.h"

#include <filesystem>
#include <fstream>
#include <system_error>

namespace leakproof::proxy::bff {
namespace {

namespace fs = std::filesystem;
using scanner::Status;

// Relative, no "..", no "." or empty components, no backslashes or NULs.
bool SafeRelative(const std::string& rel) {
  if (rel.empty() || rel.front() == '/' || rel.find('\\') != std::string::npos ||
      rel.find('\0') != std::string::npos) {
    return false;
  }
  for (const fs::path& part : fs::path(rel)) {
    const std::string s = part.string();
    if (s.empty() || s == "." || s == "..") return false;
  }
  return true;
}

bool Within(const fs::path& root, const fs::path& p) {
  auto r = root.begin();
  auto q = p.begin();
  for (; r != root.end(); ++r, ++q) {
    if (r->empty()) continue;  // trailing separator
    if (q == p.end() || *r != *q) return false;
  }
  return true;
}

}  // namespace

Status WriteTree(const GeneratedTree& tree, const std::string& out_dir, bool force) {
  if (out_dir.empty()) return Status::InvalidArgument("--out is required");
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return Status::IOError("cannot create " + out_dir + ": " + ec.message());
  const fs::path root = fs::canonical(out_dir, ec);
  if (ec) return Status::IOError("cannot resolve " + out_dir + ": " + ec.message());

  // Pass 1: every check, nothing written.
  for (const auto& [rel, content] : tree) {
    if (!SafeRelative(rel)) return Status::InvalidArgument("refusing unsafe output path " + rel);
    const fs::path target = root / rel;
    // weakly_canonical resolves symlinks of the existing parents: a link pointing out
    // of --out shows up here.
    const fs::path resolved = fs::weakly_canonical(target, ec);
    if (ec || !Within(root, resolved)) {
      return Status::InvalidArgument("refusing to write " + rel + ": it resolves outside " +
                                     out_dir);
    }
    fs::file_status st = fs::symlink_status(target, ec);
    if (fs::exists(st)) {
      if (fs::is_symlink(st) || !fs::is_regular_file(st)) {
        return Status::InvalidArgument("refusing to replace " + target.string() +
                                       ": not a regular file");
      }
      if (!force) {
        return Status::InvalidArgument(target.string() + " exists; pass --force to overwrite");
      }
    }
  }

  // Pass 2: write.
  for (const auto& [rel, content] : tree) {
    const fs::path target = root / rel;
    fs::create_directories(target.parent_path(), ec);
    if (ec)
      return Status::IOError("cannot create " + target.parent_path().string() + ": " +
                             ec.message());
    fs::path tmp = target;
    tmp += ".leakproof-tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out.write(content.data(), static_cast<std::streamsize>(content.size()));
      out.close();
      if (!out) return Status::IOError("cannot write " + tmp.string());
    }
    fs::rename(tmp, target, ec);
    if (ec) {
      fs::remove(tmp, ec);
      return Status::IOError("cannot write " + target.string());
    }
  }
  return Status::Ok();
}

}  // namespace leakproof::proxy::bff
