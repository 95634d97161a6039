// XML property list walker; see native_plist_reader.h.
//
// Not a general XML parser: plists use a handful of elements without attributes that
// matter, so this walks tags in order, keeps a stack of open <dict>/<array> frames
// (each knowing its key path, the pending <key> and the next array index) and reports
// the text of <string> and the decoded bytes of <data>. Unknown elements are skipped,
// comments, processing instructions and the DOCTYPE are ignored, and a value whose
// closing tag is missing ends the walk with a diagnostic instead of guessing.
#include "extract/apple/native_plist_reader.h"
#include "extract/native/native_utf16.h"

#include <cstdint>
#include <string>
#include <vector>

namespace leakproof::scanner::native {
namespace {

struct Frame {
  bool is_dict = false;
  std::string path;
  std::string pending_key;
  bool has_key = false;
  std::uint64_t next_index = 0;
};

bool IsNameChar(char c) {
  return c != '>' && c != '/' && c != ' ' && c != '\t' && c != '\r' && c != '\n';
}

// Decodes one entity starting at text[i] == '&'; appends it and advances i. Unknown
// entities are copied literally, which is what a tolerant reader should do.
void DecodeEntity(std::string_view text, std::size_t* i, std::string* out) {
  const std::size_t semi = text.find(';', *i);
  if (semi == std::string_view::npos || semi - *i > 12) {
    out->push_back('&');
    ++*i;
    return;
  }
  const std::string_view name = text.substr(*i + 1, semi - *i - 1);
  std::uint32_t cp = 0;
  bool ok = true;
  if (name == "amp") {
    cp = '&';
  } else if (name == "lt") {
    cp = '<';
  } else if (name == "gt") {
    cp = '>';
  } else if (name == "quot") {
    cp = '"';
  } else if (name == "apos") {
    cp = '\'';
  } else if (name.size() > 1 && name[0] == '#') {
    const bool hex = name[1] == 'x' || name[1] == 'X';
    const std::string_view digits = name.substr(hex ? 2 : 1);
    ok = !digits.empty();
    for (char c : digits) {
      int d = -1;
      if (c >= '0' && c <= '9') d = c - '0';
      if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
      if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
      if (d < 0 || cp > 0x10FFFF) {
        ok = false;
        break;
      }
      cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
    }
  } else {
    ok = false;
  }
  if (!ok) {
    out->push_back('&');
    ++*i;
    return;
  }
  AppendUtf8(cp, out);
  *i = semi + 1;
}

// Element text with entities decoded and CDATA sections copied verbatim.
std::string DecodeText(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  std::size_t i = 0;
  while (i < raw.size()) {
    if (raw.compare(i, 9, "<![CDATA[") == 0) {
      std::size_t end = raw.find("]]>", i + 9);
      if (end == std::string_view::npos) end = raw.size();
      out.append(raw.substr(i + 9, end - i - 9));
      i = end == raw.size() ? end : end + 3;
    } else if (raw[i] == '&') {
      DecodeEntity(raw, &i, &out);
    } else {
      out.push_back(raw[i++]);
    }
  }
  return out;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// <data> is base64 wrapped over lines; whitespace and anything unexpected is skipped.
std::string DecodeBase64(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    const int v = Base64Value(c);
    if (v < 0) continue;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

class XmlPlistWalker {
 public:
  XmlPlistWalker(std::string_view text, const PlistCallbacks& cb, const PlistReadLimits& limits)
      : text_(text), cb_(cb), limits_(limits) {}

  Status Run() {
    while (pos_ < text_.size()) {
      const std::size_t lt = text_.find('<', pos_);
      if (lt == std::string_view::npos) break;
      pos_ = lt;
      if (Skip("<!--", "-->") || Skip("<?", "?>") || Skip("<![CDATA[", "]]>") || Skip("<!", ">")) {
        if (!status_.ok()) return status_;
        continue;
      }
      const std::size_t gt = text_.find('>', pos_);
      if (gt == std::string_view::npos) return Status::Corrupt("xml plist: unterminated tag");
      const bool closing = pos_ + 1 < text_.size() && text_[pos_ + 1] == '/';
      std::size_t name_start = pos_ + (closing ? 2 : 1);
      std::size_t name_end = name_start;
      while (name_end < gt && IsNameChar(text_[name_end])) ++name_end;
      const std::string_view name = text_.substr(name_start, name_end - name_start);
      const bool self_closing = gt > pos_ && text_[gt - 1] == '/';
      pos_ = gt + 1;
      if (closing) {
        Close(name);
        continue;
      }
      if (!Open(name, self_closing)) return status_;
    }
    return status_;
  }

 private:
  // Skips a construct that starts at pos_ with `open` up to `close`.
  bool Skip(std::string_view open, std::string_view close) {
    if (text_.compare(pos_, open.size(), open) != 0) return false;
    const std::size_t end = text_.find(close, pos_ + open.size());
    if (end == std::string_view::npos) {
      status_ = Status::Corrupt("xml plist: unterminated " + std::string(open));
      pos_ = text_.size();
      return true;
    }
    pos_ = end + close.size();
    return true;
  }

  // The text up to "</name"; advances past the closing tag.
  bool ReadElementText(std::string_view name, std::string_view* raw) {
    const std::string close = "</" + std::string(name);
    const std::size_t end = text_.find(close, pos_);
    if (end == std::string_view::npos) {
      status_ = Status::Corrupt("xml plist: <" + std::string(name) + "> is not closed");
      return false;
    }
    *raw = text_.substr(pos_, end - pos_);
    const std::size_t gt = text_.find('>', end);
    pos_ = gt == std::string_view::npos ? text_.size() : gt + 1;
    return true;
  }

  // Path of the next value in the innermost frame (and consumes its slot).
  std::string NextValuePath() {
    if (frames_.empty()) return "";
    Frame& f = frames_.back();
    if (!f.is_dict) return PlistJoinIndex(f.path, f.next_index++);
    std::string path = PlistJoinKey(f.path, f.has_key ? f.pending_key : "?");
    f.has_key = false;
    return path;
  }

  bool Open(std::string_view name, bool self_closing) {
    if (name == "dict" || name == "array") {
      std::string path = NextValuePath();
      if (self_closing) return true;
      if (static_cast<int>(frames_.size()) >= limits_.max_depth) {
        status_ = Status::LimitExceeded("xml plist: nesting deeper than " +
                                        std::to_string(limits_.max_depth));
        return false;
      }
      frames_.push_back(Frame{name == "dict", std::move(path), {}, false, 0});
      return true;
    }
    if (name == "key") {
      std::string_view raw;
      if (!self_closing && !ReadElementText(name, &raw)) return false;
      std::string key = DecodeText(raw);
      if (!frames_.empty() && frames_.back().is_dict) {
        Frame& f = frames_.back();
        if (cb_.on_string && !cb_.on_string(PlistJoinKey(f.path, key), key, true)) {
          return false;
        }
        f.pending_key = std::move(key);
        f.has_key = true;
      }
      return true;
    }
    if (name == "string" || name == "data" || name == "integer" || name == "real" ||
        name == "date" || name == "true" || name == "false") {
      std::string path = NextValuePath();
      std::string_view raw;
      if (!self_closing && !ReadElementText(name, &raw)) return false;
      if (name == "string" && cb_.on_string) {
        return cb_.on_string(path, DecodeText(raw), false);
      }
      if (name == "data" && cb_.on_data) return cb_.on_data(path, DecodeBase64(raw));
      return true;
    }
    return true;  // <plist> and anything unknown
  }

  void Close(std::string_view name) {
    if (name != "dict" && name != "array") return;
    const bool is_dict = name == "dict";
    // Tolerate mismatched nesting: pop up to and including the matching frame.
    for (std::size_t i = frames_.size(); i > 0; --i) {
      if (frames_[i - 1].is_dict == is_dict) {
        frames_.resize(i - 1);
        return;
      }
    }
  }

  std::string_view text_;
  const PlistCallbacks& cb_;
  const PlistReadLimits& limits_;
  std::size_t pos_ = 0;
  std::vector<Frame> frames_;
  Status status_;
};

}  // namespace

Status ReadXmlPlist(std::string_view text, const PlistCallbacks& cb,
                    const PlistReadLimits& limits) {
  XmlPlistWalker walker(text, cb, limits);
  return walker.Run();
}

}  // namespace leakproof::scanner::native
