// Readers for property lists: binary (bplist00) and XML. Both walk the object tree and
// report every string and data value with its key path; the plist extractor turns
// those into child blobs.
//
// Key paths read like the plist itself: dict keys joined by '.', array elements as
// "[i]" ("NSAppTransportSecurity.NSExceptionDomains", "URLTypes[0].Schemes[1]"), so a
// finding points at the entry a developer would edit.
//
// Both readers treat input as hostile: every offset is bounds-checked, depth is capped,
// a binary plist's reference cycles are detected (each container is expanded at most
// once, which also keeps shared sub-trees from blowing up exponentially), and problems
// that do not stop the walk are reported through `on_problem`.
#pragma once

#include "leakproof/scanner/status.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace leakproof::scanner::native {

struct PlistCallbacks {
  // A string value (is_key false) or a dict key (is_key true), as UTF-8, at `path`.
  // Returning false stops the walk.
  std::function<bool(const std::string& path, std::string_view utf8, bool is_key)> on_string;
  // The bytes of a data value at `path` (a view into the input for binary plists, a
  // base64-decoded temporary for XML). Returning false stops the walk.
  std::function<bool(const std::string& path, std::string_view bytes)> on_data;
  // A non-fatal problem (cycle, bad reference, depth); the walk goes on.
  std::function<void(StatusCode code, std::string message)> on_problem;
};

struct PlistReadLimits {
  int max_depth = 64;                   // nested dicts/arrays
  std::uint64_t max_objects = 1 << 22;  // objects visited (safety net; see file comment)
};

// Extends a key path with a dict key or an array index.
std::string PlistJoinKey(const std::string& parent, std::string_view key);
std::string PlistJoinIndex(const std::string& parent, std::uint64_t index);

// Walks a "bplist00" binary plist. Returns non-ok only when nothing can be read (bad
// trailer or offset table); per-object problems go to on_problem.
Status ReadBinaryPlist(std::string_view data, const PlistCallbacks& cb,
                       const PlistReadLimits& limits);

// Walks an XML plist with a small tolerant parser (<dict>, <array>, <key>, <string>,
// <data>; entities &amp; &lt; &gt; &quot; &apos; &#N; &#xN; and CDATA decoded).
// Returns non-ok when the document ends inside a construct or nests too deep.
Status ReadXmlPlist(std::string_view text, const PlistCallbacks& cb, const PlistReadLimits& limits);

}  // namespace leakproof::scanner::native
