// SourceMapExtractor, see sourcemap_extractor.h.
#include "extract/js/sourcemap_extractor.h"

#include "extract/budgeted_segments.h"
#include "extract/text/decode_base64.h"
#include "extract/text/decode_util.h"

#include <cstring>
#include <memory>
#include <optional>
#include <simdjson.h>
#include <string.h>  // memmem (GNU)
#include <utility>
#include <vector>

namespace leakproof::scanner {

namespace {

namespace dom = simdjson::dom;

constexpr std::size_t kDetectBytes = 4096;
// A `names` entry shorter than this cannot hold a key worth reporting.
constexpr std::size_t kMinNameLength = 16;
// Index maps may not nest per the spec; allow a little slack, not unbounded recursion.
constexpr int kMaxSectionDepth = 3;

// simdjson's DOM parser (runtime-dispatched SIMD kernels, so the binary stays portable)
// unescapes strings into its own buffer, and children view those strings: the parser
// stays alive as long as any child does. It parses a map several times faster than a
// conventional JSON library; big bundles' maps were a quarter of the whole scan before.
struct ParsedMap {
  dom::parser parser;
};

std::optional<std::string_view> StringAt(dom::object obj, const char* key) {
  std::string_view s;
  if (obj[key].get_string().get(s) != simdjson::SUCCESS) return std::nullopt;
  return s;
}

std::optional<dom::array> ArrayAt(dom::object obj, const char* key) {
  dom::array a;
  if (obj[key].get_array().get(a) != simdjson::SUCCESS) return std::nullopt;
  return a;
}

bool Has(dom::object obj, const char* key) { return obj[key].error() == simdjson::SUCCESS; }

class MapWalker {
 public:
  MapWalker(const Blob& blob, std::shared_ptr<const ParsedMap> owner, ExtractContext& ctx,
            const ChildSink& emit)
      : blob_(blob), owner_(std::move(owner)), ctx_(ctx), emit_(emit), names_(ctx) {}

  // Returns false when the sink asked to stop or a limit was hit.
  bool Walk(dom::object map, int depth) {
    if (auto sections = ArrayAt(map, "sections")) {
      if (depth >= kMaxSectionDepth) {
        Diagnose(StatusCode::kLimitExceeded, "sourcemap: index map nested too deep");
        return true;
      }
      for (dom::element section : *sections) {
        dom::object inner;
        if (section["map"].get_object().get(inner) != simdjson::SUCCESS) continue;
        if (!Walk(inner, depth + 1)) return false;
      }
      return true;
    }
    const std::string_view root = StringAt(map, "sourceRoot").value_or(std::string_view());
    // `sources` is read into a vector once: a DOM array's at(i) walks from the start.
    std::vector<std::string_view> sources;
    if (auto array = ArrayAt(map, "sources")) {
      for (dom::element entry : *array) {
        std::string_view src;
        sources.push_back(entry.get_string().get(src) == simdjson::SUCCESS ? src : "");
      }
    }
    if (auto contents = ArrayAt(map, "sourcesContent")) {
      std::size_t i = 0;
      content_entries_ += contents->size();
      for (dom::element entry : *contents) {
        std::string_view text;
        if (entry.get_string().get(text) == simdjson::SUCCESS && !text.empty()) {
          std::string label;
          if (i < sources.size() && !sources[i].empty()) {
            label = NormalizeSourcePath(root, sources[i]);
          }
          if (label.empty()) label = "sources[" + std::to_string(i) + "]";
          if (!EmitSource(text, decode::SafeLabel(label, 1024))) return false;
        }
        ++i;
      }
    }
    if (auto names = ArrayAt(map, "names")) {
      std::size_t i = 0;
      for (dom::element entry : *names) {
        std::string_view name;
        if (entry.get_string().get(name) == simdjson::SUCCESS && name.size() >= kMinNameLength &&
            !names_.Add(name, "names[" + std::to_string(i) + "]")) {
          Diagnose(StatusCode::kLimitExceeded, "sourcemap: byte budget exhausted in names");
          return false;
        }
        ++i;
      }
    }
    return true;
  }

  // How many sourcesContent entries (strings and nulls) the walk passed over.
  std::size_t content_entries() const { return content_entries_; }

  bool Finish() {
    if (names_.empty()) return true;
    return emit_(std::move(names_).Build(blob_.provenance().Child({"names", "", false})));
  }

 private:
  bool EmitSource(std::string_view text, std::string label) {
    if (text.size() > ctx_.limits().max_member_bytes || !ctx_.budget().Take(text.size())) {
      Diagnose(StatusCode::kLimitExceeded, "sourcemap: byte budget exhausted at " + label);
      return false;
    }
    Blob child =
        Blob::FromView(text, owner_, blob_.provenance().Child({std::move(label), "", false}));
    child.set_report_lines(true);
    return emit_(std::move(child));
  }

  void Diagnose(StatusCode code, std::string message) {
    ctx_.Diagnose(blob_.provenance(), DiagnosticLevel::kWarning, code, std::move(message));
  }

  const Blob& blob_;
  std::shared_ptr<const ParsedMap> owner_;
  ExtractContext& ctx_;
  const ChildSink& emit_;
  BudgetedSegments names_;
  std::size_t content_entries_ = 0;
};

// The raw `"sourcesContent": [...]` arrays of a map and how many entries they hold.
struct ContentArrays {
  std::vector<ByteRange> ranges;
  std::size_t entries = 0;
};

std::size_t SkipSpace(std::string_view b, std::size_t i) {
  while (i < b.size() && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) ++i;
  return i;
}

// One past the closing quote of the JSON string whose opening quote is at `i`, or npos.
std::size_t StringEnd(std::string_view b, std::size_t i) {
  std::size_t j = i + 1;
  while (true) {
    const void* q = std::memchr(b.data() + j, '"', b.size() - j);
    if (q == nullptr) return std::string_view::npos;
    const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(q) - b.data());
    std::size_t backslashes = 0;
    while (at - backslashes > i + 1 && b[at - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return at + 1;
    j = at + 1;
  }
}

// Finds every array in the raw text that follows a `"sourcesContent"` key (a key, not
// the same words inside a string: the quote must follow '{' or ','). Returns nullopt
// when one does not read as an array of strings and nulls. The caller skips the ranges
// only when the entry count equals what the parsed walk emitted, so a key of that name
// somewhere the walk does not look (a vendor field) keeps its bytes scanned.
std::optional<ContentArrays> FindContentArrays(std::string_view b) {
  constexpr std::string_view kKey = "\"sourcesContent\"";
  ContentArrays found;
  std::size_t pos = 0;
  while (pos < b.size()) {
    const void* hit = memmem(b.data() + pos, b.size() - pos, kKey.data(), kKey.size());
    if (hit == nullptr) break;
    const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(hit) - b.data());
    pos = at + kKey.size();
    std::size_t before = at;
    while (before > 0 && (b[before - 1] == ' ' || b[before - 1] == '\n' || b[before - 1] == '\r' ||
                          b[before - 1] == '\t')) {
      --before;
    }
    if (before == 0 || (b[before - 1] != ',' && b[before - 1] != '{')) continue;
    std::size_t i = SkipSpace(b, pos);
    if (i >= b.size() || b[i] != ':') return std::nullopt;
    i = SkipSpace(b, i + 1);
    if (i >= b.size() || b[i] != '[') return std::nullopt;
    const std::size_t begin = i;
    i = SkipSpace(b, i + 1);
    bool first = true;
    while (true) {
      if (i >= b.size()) return std::nullopt;
      if (b[i] == ']') break;
      if (!first) {
        if (b[i] != ',') return std::nullopt;
        i = SkipSpace(b, i + 1);
        if (i >= b.size()) return std::nullopt;
      }
      first = false;
      if (b[i] == '"') {
        i = StringEnd(b, i);
        if (i == std::string_view::npos) return std::nullopt;
      } else if (b.substr(i, 4) == "null") {
        i += 4;
      } else {
        return std::nullopt;
      }
      ++found.entries;
      i = SkipSpace(b, i);
    }
    found.ranges.push_back({begin, i + 1});
    pos = i + 1;
  }
  return found;
}

// True for the characters of a `mappings` string: standard-alphabet base64 digits (the
// base64 decoder's class table) and the ',' ';' separators.
bool IsVlqChar(unsigned char c) {
  constexpr std::uint8_t kVlqDigit =
      decode::kB64Upper | decode::kB64Lower | decode::kB64Digit | decode::kB64Std;
  return (decode::kBase64Class[c] & kVlqDigit) != 0 || c == ',' || c == ';';
}

// The raw byte range (quotes included) of the map's `mappings` string when it holds
// only VLQ characters and equals the parsed value, else nullopt. Such a string is
// generated position data: no key can be told apart in it, yet its letter soup makes
// the pattern engine run at half speed, and it is a third of a typical map.
std::optional<ByteRange> VlqMappingsRange(std::string_view b, std::string_view parsed) {
  constexpr std::string_view kKey = "\"mappings\"";
  std::size_t pos = 0;
  while (pos < b.size()) {
    const void* hit = memmem(b.data() + pos, b.size() - pos, kKey.data(), kKey.size());
    if (hit == nullptr) return std::nullopt;
    const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(hit) - b.data());
    pos = at + kKey.size();
    std::size_t i = SkipSpace(b, pos);
    if (i >= b.size() || b[i] != ':') continue;
    i = SkipSpace(b, i + 1);
    if (i >= b.size() || b[i] != '"') continue;
    const std::size_t open = i;
    const std::size_t close = open + 1 + parsed.size();
    if (close >= b.size() || b[close] != '"' || b.substr(open + 1, parsed.size()) != parsed) {
      continue;
    }
    for (unsigned char c : parsed) {
      if (!IsVlqChar(c)) return std::nullopt;
    }
    return ByteRange{open, close + 1};
  }
  return std::nullopt;
}

bool IsMap(dom::object doc) {
  return (Has(doc, "mappings") || Has(doc, "sections")) &&
         (Has(doc, "sources") || Has(doc, "sections"));
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
  // The raw map is scanned by the caller as well (ReplacesParentScan() is false), so a
  // map we cannot parse is only diagnosed here: its bytes are not lost.
  auto parsed = std::make_shared<ParsedMap>();
  dom::element doc;
  if (auto err = parsed->parser.parse(blob.bytes().data(), blob.size()).get(doc)) {
    return Status::Corrupt(std::string("sourcemap: not valid JSON (") +
                           simdjson::error_message(err) + "); scanned the raw bytes only");
  }
  dom::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS || !IsMap(top)) return Status::Ok();
  MapWalker walker(blob, parsed, ctx, emit);
  if (!walker.Walk(top, 0) || !walker.Finish()) return Status::Ok();
  // Every original source went to a child, unescaped: the raw map's copy of them, most
  // of its bytes, need not be scanned again (the rest of the map still is).
  const auto arrays =
      walker.content_entries() == 0 ? std::nullopt : FindContentArrays(blob.bytes());
  if (arrays && arrays->entries == walker.content_entries()) {
    for (const ByteRange& r : arrays->ranges) ctx.SkipInParentScan(r.begin, r.end);
  }
  if (const auto mappings = StringAt(top, "mappings")) {
    if (const auto range = VlqMappingsRange(blob.bytes(), *mappings)) {
      ctx.SkipInParentScan(range->begin, range->end);
    }
  }
  return Status::Ok();
}

std::unique_ptr<Extractor> NewSourceMapExtractor() {
  return std::make_unique<SourceMapExtractor>();
}

}  // namespace leakproof::scanner
