// Shared helpers of the decoding extractors, see decode_util.h.
#include "extract/text/decode_util.h"

#include <cstring>

namespace leakproof::scanner::decode {

bool LooksBinary(std::string_view bytes) {
  const std::size_t n = bytes.size() < kSniffBytes ? bytes.size() : kSniffBytes;
  return n > 0 && std::memchr(bytes.data(), 0, n) != nullptr;
}

int CountDecodingSteps(const Provenance& p, std::string_view step) {
  int count = 0;
  for (const Origin& o : p.chain()) {
    if (o.is_decoding && o.name == step) ++count;
  }
  return count;
}

bool IsRawFallback(const Blob& blob) {
  const auto& chain = blob.provenance().chain();
  return !chain.empty() && chain.back().is_decoding && chain.back().name == kRawStep;
}

Blob RawFallbackChild(const Blob& blob) {
  Blob child = Blob::FromView(blob.bytes(), blob.owner(),
                              blob.provenance().Child({std::string(kRawStep), "", true}));
  child.set_report_lines(blob.report_lines());
  return child;
}

void AppendUtf8(std::string& out, std::uint32_t cp) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

namespace {

// Length of the well-formed UTF-8 sequence starting at `p` (0 if it is not one).
std::size_t Utf8SequenceLength(const unsigned char* p, std::size_t avail) {
  const unsigned char c = p[0];
  std::size_t len = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
  } else {
    return 0;
  }
  if (len > avail) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
  }
  return len;
}

}  // namespace

bool MostlyText(std::string_view bytes) {
  if (bytes.empty()) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t good = 0;
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\r' || c == '\t') {
      ++good;
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t len = Utf8SequenceLength(p + i, n - i);
      if (len > 0) {
        good += len;
        i += len;
        continue;
      }
    }
    ++i;
  }
  return good * 10 >= n * 9;
}

std::string SafeLabel(std::string_view name, std::size_t max) {
  std::string out(name.substr(0, max));
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) c = '?';
  }
  return out;
}

std::uint64_t LineCounter::LineAt(std::size_t offset) {
  if (offset > bytes_.size()) offset = bytes_.size();
  if (offset < pos_) {  // callers go forwards; restart rather than give a wrong answer
    pos_ = 0;
    line_ = 1;
  }
  const char* p = bytes_.data() + pos_;
  const char* end = bytes_.data() + offset;
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (nl == nullptr) break;
    ++line_;
    p = static_cast<const char*>(nl) + 1;
  }
  pos_ = offset;
  return line_;
}

}  // namespace leakproof::scanner::decode
