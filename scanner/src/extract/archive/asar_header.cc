// asar header parsing: nlohmann::json without exceptions, an explicit stack for the
// directory tree (no recursion on attacker-chosen depth).
#include "extract/archive/asar_header.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <utility>
#include <vector>

namespace leakproof::scanner {

namespace {

constexpr std::size_t kMaxDepth = 256;

std::uint32_t U32At(std::string_view b, std::size_t at) {
  std::uint32_t v = 0;
  for (int k = 3; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(b[at + k]);
  return v;
}

// "offset" is written as a string; accept a plain number too.
bool ReadOffset(const nlohmann::json& v, std::uint64_t& out) {
  if (v.is_number_unsigned()) {
    out = v.get<std::uint64_t>();
    return true;
  }
  if (!v.is_string()) return false;
  const std::string& s = v.get_ref<const std::string&>();
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

bool LooksLikeAsar(std::string_view b) {
  if (b.size() < 17 || U32At(b, 0) != 4) return false;
  const std::uint64_t header_size = U32At(b, 4);
  const std::uint64_t json_len = U32At(b, 12);
  return header_size >= 8 && 8 + header_size <= b.size() && json_len + 8 <= header_size &&
         b[16] == '{';
}

bool ParseAsarHeader(std::string_view b, std::uint64_t max_entries, AsarHeader& out,
                     std::string& why) {
  if (!LooksLikeAsar(b)) {
    why = "no asar header";
    return false;
  }
  const std::uint64_t base = 8ull + U32At(b, 4);
  const std::string_view text = b.substr(16, U32At(b, 12));
  nlohmann::json root = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    why = "header is not a JSON object";
    return false;
  }
  struct Dir {
    const nlohmann::json* files;
    std::string prefix;
    std::size_t depth;
  };
  std::vector<Dir> stack;
  auto push = [&](const nlohmann::json& node, std::string prefix, std::size_t depth) {
    auto it = node.find("files");
    if (it == node.end() || !it->is_object()) return false;
    if (depth > kMaxDepth) {
      out.problems.push_back(prefix + ": directories nested deeper than " +
                             std::to_string(kMaxDepth));
      return true;
    }
    stack.push_back({&*it, std::move(prefix), depth});
    return true;
  };
  if (!push(root, "", 0)) {
    why = "header has no \"files\" object";
    return false;
  }
  // Files of a directory in name order (nlohmann keeps object keys sorted), its
  // subdirectories after them: a fixed order, so member indexes are stable.
  while (!stack.empty()) {
    Dir dir = std::move(stack.back());
    stack.pop_back();
    for (auto it = dir.files->begin(); it != dir.files->end(); ++it) {
      const std::string path = dir.prefix + it.key();
      const nlohmann::json& node = it.value();
      if (!node.is_object()) {
        out.problems.push_back(path + ": entry is not an object");
        continue;
      }
      if (node.contains("files")) {
        push(node, path + "/", dir.depth + 1);
        continue;
      }
      if (node.contains("link")) continue;  // a symlink: its target is another entry
      if (out.files.size() >= max_entries) {
        out.truncated = true;
        continue;
      }
      AsarFile f;
      f.path = path;
      auto unpacked = node.find("unpacked");
      f.unpacked = unpacked != node.end() && unpacked->is_boolean() && unpacked->get<bool>();
      auto size = node.find("size");
      if (size == node.end() || !size->is_number_unsigned()) {
        out.problems.push_back(f.path + ": no valid \"size\"");
        continue;
      }
      f.size = size->get<std::uint64_t>();
      if (!f.unpacked) {
        std::uint64_t rel = 0;
        auto offset = node.find("offset");
        if (offset == node.end() || !ReadOffset(*offset, rel)) {
          out.problems.push_back(f.path + ": no valid \"offset\"");
          continue;
        }
        if (rel > b.size() || f.size > b.size() || base + rel > b.size() - f.size) {
          out.problems.push_back(f.path + ": offset " + std::to_string(rel) + " + size " +
                                 std::to_string(f.size) + " runs past the end of the archive");
          continue;
        }
        f.offset = base + rel;
      }
      out.files.push_back(std::move(f));
    }
  }
  return true;
}

}  // namespace leakproof::scanner
