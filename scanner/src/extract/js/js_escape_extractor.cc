// JsEscapeExtractor, see js_escape_extractor.h.
#include "extract/js/js_escape_extractor.h"

#include "extract/budgeted_segments.h"
#include "extract/js/sourcemap_extractor.h"
#include "extract/text/decode_util.h"

#include <algorithm>
#include <cstring>

namespace leakproof::scanner {

namespace {

constexpr std::string_view kStep = "js-unescape";
// How far back from a backslash the opening quote may be.
constexpr std::size_t kMaxLookback = 4096;
// Longest literal decoded in one piece (webpack eval modules are large strings).
constexpr std::size_t kMaxLiteral = 1u << 20;
// Literals shorter than this cannot hold a key; longer ones with a hiding escape are kept.
constexpr std::size_t kMinKept = 16;
// `\/`-only literals shorter than this ("<\/script>") are noise.
constexpr std::size_t kMinKeptSlash = 8;

bool IsQuote(char c) { return c == '"' || c == '\'' || c == '`'; }

// True when bytes[pos] follows an odd number of backslashes (looking no further back
// than `floor`).
bool IsEscaped(std::string_view b, std::size_t pos, std::size_t floor) {
  std::size_t k = pos;
  while (k > floor && b[k - 1] == '\\') --k;
  return (pos - k) % 2 == 1;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Value of the `count` hex digits at b[pos], or -1.
long ReadHex(std::string_view b, std::size_t pos, std::size_t count) {
  if (pos + count > b.size()) return -1;
  long v = 0;
  for (std::size_t j = 0; j < count; ++j) {
    const int d = HexDigit(b[pos + j]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

struct LiteralState {
  std::string out;
  bool hiding_escape = false;  // \x, \u or \u{}: the escapes that hide keys
  bool slash_escape = false;   // \/
};

// Decodes the escape whose backslash is at b[i]; returns the index after it.
std::size_t DecodeEscape(std::string_view b, std::size_t i, LiteralState& st) {
  if (i + 1 >= b.size()) {
    st.out += '\\';
    return i + 1;
  }
  const char e = b[i + 1];
  switch (e) {
    case 'n':
      st.out += '\n';
      return i + 2;
    case 'r':
      st.out += '\r';
      return i + 2;
    case 't':
      st.out += '\t';
      return i + 2;
    case 'b':
      st.out += '\b';
      return i + 2;
    case 'f':
      st.out += '\f';
      return i + 2;
    case 'v':
      st.out += '\v';
      return i + 2;
    case '0':
      return i + 2;  // NUL would make the child look binary; it never sits in a key
    case '/':
      st.out += '/';
      st.slash_escape = true;
      return i + 2;
    case '\r':
      return (i + 2 < b.size() && b[i + 2] == '\n') ? i + 3 : i + 2;  // continuation
    case '\n':
      return i + 2;
    case 'x': {
      const long v = ReadHex(b, i + 2, 2);
      if (v < 0) break;
      decode::AppendUtf8(st.out, static_cast<std::uint32_t>(v));
      st.hiding_escape = true;
      return i + 4;
    }
    case 'u': {
      if (i + 2 < b.size() && b[i + 2] == '{') {
        std::size_t j = i + 3;
        std::uint32_t cp = 0;
        while (j < b.size() && j < i + 3 + 6 && HexDigit(b[j]) >= 0) {
          cp = cp * 16 + static_cast<std::uint32_t>(HexDigit(b[j]));
          ++j;
        }
        if (j == i + 3 || j >= b.size() || b[j] != '}') break;
        decode::AppendUtf8(st.out, cp);
        st.hiding_escape = true;
        return j + 1;
      }
      const long hi = ReadHex(b, i + 2, 4);
      if (hi < 0) break;
      std::uint32_t cp = static_cast<std::uint32_t>(hi);
      std::size_t next = i + 6;
      if (cp >= 0xD800 && cp <= 0xDBFF && next + 1 < b.size() && b[next] == '\\' &&
          b[next + 1] == 'u') {
        const long lo = ReadHex(b, next + 2, 4);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<std::uint32_t>(lo) - 0xDC00);
          next += 6;
        }
      }
      decode::AppendUtf8(st.out, cp);
      st.hiding_escape = true;
      return next;
    }
    default:
      break;
  }
  // \\u, \\x, \\/ : an escape escaped once more (webpack eval builds); the second pass
  // over this extractor's child undoes it, so the literal must be kept.
  if (e == '\\' && i + 2 < b.size() && (b[i + 2] == 'u' || b[i + 2] == 'x' || b[i + 2] == '/')) {
    st.hiding_escape = true;
  }
  // \" \' \\ \` and unknown escapes (\d, \q) stand for the character itself; so does a
  // malformed \x or \u, whose letter is kept as text.
  st.out += e;
  return i + 2;
}

// Bytes that can end a literal or start an escape; everything else is skipped by one
// table lookup per byte.
struct SpecialBytes {
  bool table[256] = {};
  constexpr SpecialBytes() {
    table[static_cast<unsigned char>('\\')] = true;
    table[static_cast<unsigned char>('\n')] = true;
    table[static_cast<unsigned char>('"')] = true;
    table[static_cast<unsigned char>('\'')] = true;
    table[static_cast<unsigned char>('`')] = true;
  }
};
constexpr SpecialBytes kSpecial;

struct LiteralExtent {
  std::size_t end = 0;         // closing quote, line end, or limit
  bool hiding_escape = false;  // \x, \u, \/ or a doubly escaped one of them
};

// One cheap pass over the literal starting at b[s]. Every escape is stepped over as two
// bytes: none of the longer ones (\xHH, \uHHHH, \u{...}) holds a quote, newline or
// backslash, so the end found here is the decoder's end too.
LiteralExtent ScanLiteral(std::string_view b, std::size_t s, std::size_t limit, char quote) {
  LiteralExtent ext;
  std::size_t i = s;
  while (i < limit) {
    while (i < limit && !kSpecial.table[static_cast<unsigned char>(b[i])]) ++i;
    if (i >= limit) break;
    const char c = b[i];
    if (c == '\\') {
      if (i + 1 >= limit) break;
      const char e = b[i + 1];
      if (e == 'x' || e == 'u' || e == '/' ||
          (e == '\\' && i + 2 < limit && (b[i + 2] == 'u' || b[i + 2] == 'x' || b[i + 2] == '/'))) {
        ext.hiding_escape = true;
      }
      const bool crlf = e == '\r' && i + 2 < limit && b[i + 2] == '\n';
      i += crlf ? 3 : 2;
      continue;
    }
    if (quote != 0 ? c == quote : IsQuote(c)) break;
    if (c == '\n' && quote != '`') break;
    ++i;
  }
  ext.end = std::min(i, limit);
  return ext;
}

}  // namespace

void ForEachEscapedLiteral(std::string_view b,
                           const std::function<bool(const EscapedLiteral&)>& on_literal) {
  const std::size_t n = b.size();
  std::size_t floor = 0;  // no unprocessed literal starts before this
  std::size_t pos = 0;
  while (pos < n) {
    const void* hit = std::memchr(b.data() + pos, '\\', n - pos);
    if (hit == nullptr) return;
    const std::size_t k = static_cast<std::size_t>(static_cast<const char*>(hit) - b.data());
    // The literal's opening quote: the nearest unescaped quote before k on this line.
    const std::size_t lo = std::max(floor, k > kMaxLookback ? k - kMaxLookback : 0);
    std::size_t s = k;
    char quote = 0;
    while (s > lo) {
      const char c = b[s - 1];
      if (c == '\n') break;
      if (IsQuote(c) && !IsEscaped(b, s - 1, lo)) {
        quote = c;
        break;
      }
      --s;
    }
    const std::size_t limit = std::min(n, s + kMaxLiteral);
    // Cheap first pass: find the literal's end and whether it holds an escape that can
    // hide a key. Most escaped literals in bundles only carry \n and \" (embedded
    // .d.ts files, CSS, templates); decoding those was over half the scan cost.
    const LiteralExtent ext = ScanLiteral(b, s, limit, quote);
    if (!ext.hiding_escape) {
      EscapedLiteral skipped{s, std::string(), false};
      if (!on_literal(skipped)) return;
      floor = std::min(n, ext.end + 1);
      pos = std::max(floor, k + 1);
      continue;
    }
    LiteralState st;
    std::size_t i = s;
    while (i < limit) {
      const char c = b[i];
      if (c == '\\') {
        i = DecodeEscape(b, i, st);
        continue;
      }
      // Without a known opening quote any quote ends the region.
      if (quote != 0 ? c == quote : IsQuote(c)) break;
      if (c == '\n' && quote != '`') break;
      // Copy the plain stretch up to the next special byte in one append: literals in
      // bundles are long (embedded .d.ts files, eval modules), escapes are sparse.
      std::size_t j = i + 1;
      while (j < limit && b[j] != '\\' && b[j] != '\n' && !IsQuote(b[j])) ++j;
      st.out.append(b.data() + i, j - i);
      i = j;
    }
    EscapedLiteral lit{s, std::move(st.out), false};
    lit.worth_scanning = (st.slash_escape && lit.text.size() >= kMinKeptSlash) ||
                         (st.hiding_escape && lit.text.size() >= kMinKept);
    if (!on_literal(lit)) return;
    floor = std::min(n, i + 1);  // past the closing quote
    pos = std::max(floor, k + 1);
  }
}

bool JsEscapeExtractor::CanExtract(const Blob& blob) const {
  return blob.size() >= kMinKeptSlash && !decode::LooksBinary(blob.bytes()) &&
         decode::CountDecodingSteps(blob.provenance(), kStep) < kMaxNesting &&
         !decode::IsRawFallback(blob) && !LooksLikeSourceMap(blob.bytes());
}

Status JsEscapeExtractor::Extract(const Blob& blob, ExtractContext& ctx,
                                  const ChildSink& emit) const {
  decode::LineCounter lines(blob.bytes());
  BudgetedSegments kept(ctx);
  ForEachEscapedLiteral(blob.bytes(), [&](const EscapedLiteral& lit) {
    if (!lit.worth_scanning) return true;
    return kept.Add(lit.text, "line " + std::to_string(lines.LineAt(lit.offset)));
  });
  if (kept.limited()) {
    ctx.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kLimitExceeded,
                 "js-escape: byte budget exhausted; remaining literals not unescaped");
  }
  if (!kept.empty()) {
    (void)emit(std::move(kept).Build(blob.provenance().Child({std::string(kStep), "", true})));
  }
  return Status::Ok();
}

std::unique_ptr<Extractor> NewJsEscapeExtractor() { return std::make_unique<JsEscapeExtractor>(); }

}  // namespace leakproof::scanner
