#include "extract/archive/image_layers.h"

#include <nlohmann/json.hpp>

namespace leakproof::scanner {

namespace {

constexpr std::string_view kWhiteout = ".wh.";
constexpr std::string_view kOpaque = ".wh..wh..opq";

}  // namespace

std::string_view NormalTarPath(std::string_view path) {
  while (true) {
    if (path.substr(0, 2) == "./") {
      path.remove_prefix(2);
    } else if (!path.empty() && path[0] == '/') {
      path.remove_prefix(1);
    } else {
      return path;
    }
  }
}

std::vector<std::string> ManifestLayers(std::string_view manifest_json) {
  std::vector<std::string> layers;
  nlohmann::json m = nlohmann::json::parse(manifest_json, nullptr, /*allow_exceptions=*/false);
  if (m.is_discarded() || !m.is_array() || m.empty() || !m[0].is_object()) return layers;
  auto list = m[0].find("Layers");
  if (list == m[0].end() || !list->is_array()) return layers;
  for (const auto& l : *list) {
    if (!l.is_string()) return {};
    layers.emplace_back(NormalTarPath(l.get_ref<const std::string&>()));
  }
  return layers;
}

bool Whiteouts::Record(std::string_view path) {
  path = NormalTarPath(path);
  const std::size_t slash = path.rfind('/');
  const std::string_view dir = slash == std::string_view::npos ? "" : path.substr(0, slash + 1);
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (base.substr(0, kWhiteout.size()) != kWhiteout) return false;
  if (base == kOpaque) {
    pending_opaque_.emplace_back(dir);
  } else if (base.size() > kWhiteout.size()) {
    pending_deleted_.push_back(std::string(dir) + std::string(base.substr(kWhiteout.size())));
  }
  return true;
}

void Whiteouts::EndLayer() {
  for (auto& p : pending_deleted_) deleted_.insert(std::move(p));
  for (auto& p : pending_opaque_) opaque_.insert(std::move(p));
  pending_deleted_.clear();
  pending_opaque_.clear();
}

bool Whiteouts::Deleted(std::string_view path) const {
  if (deleted_.empty() && opaque_.empty()) return false;
  path = NormalTarPath(path);
  if (deleted_.count(path) != 0) return true;
  // Every directory above `path`: "a/b/c.js" -> "a/", "a/b/" (opaque), "a", "a/b" (deleted).
  for (std::size_t slash = path.find('/'); slash != std::string_view::npos;
       slash = path.find('/', slash + 1)) {
    if (opaque_.count(path.substr(0, slash + 1)) != 0) return true;
    if (deleted_.count(path.substr(0, slash)) != 0) return true;
  }
  return opaque_.count("") != 0;  // a whole layer made opaque at its root
}

}  // namespace leakproof::scanner
