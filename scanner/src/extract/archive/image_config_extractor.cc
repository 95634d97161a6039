#include "extract/archive/image_config_extractor.h"

#include "extract/named_value.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

namespace leakproof::scanner {

namespace {

// Image configs are a few KB; anything this large is something else.
constexpr std::size_t kMaxConfigBytes = 8u << 20;

void AddEnv(const nlohmann::json& config,
            std::vector<std::pair<std::string, std::string>>& labelled) {
  if (!config.is_object()) return;
  auto env = config.find("Env");
  if (env == config.end() || !env->is_array()) return;
  for (const auto& e : *env) {
    if (!e.is_string()) continue;
    const std::string& kv = e.get_ref<const std::string&>();
    const std::size_t eq = kv.find('=');
    const std::string name = kv.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : kv.substr(eq + 1);
    if (value.empty()) continue;
    std::pair<std::string, std::string> item("ENV " + name, NameBesideValue(name, value));
    // "config" and "container_config" usually repeat the same variables.
    if (std::find(labelled.begin(), labelled.end(), item) == labelled.end()) {
      labelled.push_back(std::move(item));
    }
  }
}

class ImageConfigExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "image-config"; }
  bool CanExtract(const Blob& blob) const override {
    const std::string_view b = blob.bytes();
    if (b.size() > kMaxConfigBytes) return false;
    const std::size_t first = b.find_first_not_of(" \t\r\n");
    return first != std::string_view::npos && b[first] == '{' &&
           b.find("\"diff_ids\"") != std::string_view::npos &&
           b.find("\"rootfs\"") != std::string_view::npos;
  }

  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override {
    std::vector<std::pair<std::string, std::string>> labelled;
    if (!ReadImageConfig(blob.bytes(), labelled)) {
      ctx.Diagnose(blob.provenance(), DiagnosticLevel::kInfo, StatusCode::kCorrupt,
                   "image-config: looks like an image config but is not valid JSON; "
                   "scanned as text only");
      return Status::Ok();
    }
    if (labelled.empty()) return Status::Ok();
    SegmentedBlobBuilder b;
    for (auto& [label, text] : labelled) b.Add(text, std::move(label));
    Blob child = std::move(b).Build(blob.provenance().Child({"image-config", "", true}));
    child.set_report_lines(false);
    emit(std::move(child));
    return Status::Ok();
  }
};

}  // namespace

bool ReadImageConfig(std::string_view json,
                     std::vector<std::pair<std::string, std::string>>& labelled) {
  nlohmann::json root = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) return false;
  auto rootfs = root.find("rootfs");
  if (rootfs == root.end() || !rootfs->is_object() || !rootfs->contains("diff_ids")) return false;
  // "config" is what runs; "container_config" (older Docker) the build container.
  for (const char* key : {"config", "container_config"}) {
    auto c = root.find(key);
    if (c != root.end()) AddEnv(*c, labelled);
  }
  auto history = root.find("history");
  if (history != root.end() && history->is_array()) {
    for (const auto& h : *history) {
      if (!h.is_object()) continue;
      auto by = h.find("created_by");
      if (by != h.end() && by->is_string()) {
        labelled.emplace_back("history", by->get<std::string>());
      }
    }
  }
  return true;
}

std::unique_ptr<Extractor> NewImageConfigExtractor() {
  return std::make_unique<ImageConfigExtractor>();
}

}  // namespace leakproof::scanner
