// SourceMapExtractor, see sourcemap_extractor.h.
#include "extract/sourcemap_extractor.h"

#include "extract/budgeted_segments.h"
#include "extract/decode_util.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <utility>

namespace leakproof::scanner {

namespace {

using nlohmann::json;

constexpr std::size_t kDetectBytes = 4096;
// A `names` entry shorter than this cannot hold a key worth reporting.
constexpr std::size_t kMinNameLength = 16;
// Index maps may not nest per the spec; allow a little slack, not unbounded recursion.
constexpr int kMaxSectionDepth = 3;

const std::string* StringAt(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : it->get_ptr<const json::string_t*>();
}

const json* ArrayAt(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_array() ? &*it : nullptr;
}

class MapWalker {
 public:
  MapWalker(const Blob& blob, std::shared_ptr<const json> doc, ExtractContext& ctx,
            const ChildSink& emit)
      : blob_(blob), doc_(std::move(doc)), ctx_(ctx), emit_(emit), names_(ctx) {}

  // Returns false when the sink asked to stop or a limit was hit.
  bool Walk(const json& map, int depth) {
    if (!map.is_object()) return true;
    if (const json* sections = ArrayAt(map, "sections")) {
      if (depth >= kMaxSectionDepth) {
        Diagnose(StatusCode::kLimitExceeded, "sourcemap: index map nested too deep");
        return true;
      }
      for (const json& section : *sections) {
        if (!section.is_object()) continue;
        auto it = section.find("map");
        if (it != section.end() && !Walk(*it, depth + 1)) return false;
      }
      return true;
    }
    const std::string* root = StringAt(map, "sourceRoot");
    const json* sources = ArrayAt(map, "sources");
    if (const json* contents = ArrayAt(map, "sourcesContent")) {
      for (std::size_t i = 0; i < contents->size(); ++i) {
        const std::string* text = (*contents)[i].get_ptr<const json::string_t*>();
        if (text == nullptr || text->empty()) continue;
        const std::string* src = nullptr;
        if (sources != nullptr && i < sources->size()) {
          src = (*sources)[i].get_ptr<const json::string_t*>();
        }
        std::string label = src != nullptr ? NormalizeSourcePath(root ? *root : "", *src) : "";
        if (label.empty()) label = "sources[" + std::to_string(i) + "]";
        if (!EmitSource(*text, decode::SafeLabel(label, 1024))) return false;
      }
    }
    if (const json* names = ArrayAt(map, "names")) {
      for (std::size_t i = 0; i < names->size(); ++i) {
        const std::string* name = (*names)[i].get_ptr<const json::string_t*>();
        if (name == nullptr || name->size() < kMinNameLength) continue;
        if (!names_.Add(*name, "names[" + std::to_string(i) + "]")) {
          Diagnose(StatusCode::kLimitExceeded, "sourcemap: byte budget exhausted in names");
          return false;
        }
      }
    }
    return true;
  }

  bool Finish() {
    if (names_.empty()) return true;
    return emit_(std::move(names_).Build(blob_.provenance().Child({"names", "", false})));
  }

 private:
  bool EmitSource(const std::string& text, std::string label) {
    if (text.size() > ctx_.limits().max_member_bytes || !ctx_.budget().Take(text.size())) {
      Diagnose(StatusCode::kLimitExceeded, "sourcemap: byte budget exhausted at " + label);
      return false;
    }
    // The child views the string inside the parsed document, which it keeps alive.
    Blob child =
        Blob::FromView(text, doc_, blob_.provenance().Child({std::move(label), "", false}));
    child.set_report_lines(true);
    return emit_(std::move(child));
  }

  void Diagnose(StatusCode code, std::string message) {
    ctx_.Diagnose(blob_.provenance(), DiagnosticLevel::kWarning, code, std::move(message));
  }

  const Blob& blob_;
  std::shared_ptr<const json> doc_;
  ExtractContext& ctx_;
  const ChildSink& emit_;
  BudgetedSegments names_;
};

bool IsMap(const json& doc) {
  return doc.is_object() && (doc.contains("mappings") || doc.contains("sections")) &&
         (doc.contains("sources") || doc.contains("sections"));
}

}  // namespace

bool LooksLikeSourceMap(std::string_view bytes) {
  std::size_t i = 0;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // UTF-8 BOM
  while (i < bytes.size() &&
         (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r' || bytes[i] == '\t')) {
    ++i;
  }
  if (i >= bytes.size() || bytes[i] != '{') return false;
  const std::string_view head = bytes.substr(i, kDetectBytes);
  return head.find("\"version\"") != std::string_view::npos &&
         (head.find("\"sources\"") != std::string_view::npos ||
          head.find("\"sections\"") != std::string_view::npos);
}

std::string NormalizeSourcePath(std::string_view source_root, std::string_view source) {
  std::string s;
  const bool relative =
      source.find("://") == std::string_view::npos && !source.empty() && source.front() != '/';
  if (!source_root.empty() && relative) {
    s.assign(source_root);
    if (s.back() != '/') s += '/';
  }
  s.append(source);
  constexpr std::string_view kWebpack = "webpack://";
  if (s.compare(0, kWebpack.size(), kWebpack) == 0) {
    s.erase(0, kWebpack.size());
    while (!s.empty() && s.front() == '/') s.erase(0, 1);
  }
  while (s.compare(0, 2, "./") == 0) s.erase(0, 2);
  for (std::size_t pos; (pos = s.find("/./")) != std::string::npos;) s.erase(pos, 2);
  return s;
}

bool SourceMapExtractor::CanExtract(const Blob& blob) const {
  return !decode::IsRawFallback(blob) && LooksLikeSourceMap(blob.bytes());
}

Status SourceMapExtractor::Extract(const Blob& blob, ExtractContext& ctx,
                                   const ChildSink& emit) const {
  auto doc = std::make_shared<const json>(json::parse(blob.bytes(), nullptr, false));
  if (doc->is_discarded() || !IsMap(*doc)) {
    // Scanning the raw bytes is all that is left; the engine would skip them otherwise.
    const bool json_ok = !doc->is_discarded();
    (void)emit(decode::RawFallbackChild(blob));
    if (json_ok) return Status::Ok();  // JSON that merely looked like a map
    return Status::Corrupt("sourcemap: not valid JSON; scanned the raw bytes instead");
  }
  MapWalker walker(blob, doc, ctx, emit);
  if (!walker.Walk(*doc, 0)) return Status::Ok();
  (void)walker.Finish();
  return Status::Ok();
}

std::unique_ptr<Extractor> NewSourceMapExtractor() {
  return std::make_unique<SourceMapExtractor>();
}

}  // namespace leakproof::scanner
