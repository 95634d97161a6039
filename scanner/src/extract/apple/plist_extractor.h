// Property-list extractors: binary ("bplist00") and XML plists from iOS apps
// (Info.plist, GoogleService-Info.plist, *.strings compiled to bplist, ...).
//
// Each emits one segmented child "<plist>[plist]" holding every dict key on its own and
// every string value as "<key path> = <value>", labelled with its key path ("API_KEY",
// "NSAppTransportSecurity.NSExceptionDomains", "[3]"), plus one child per data value
// ("[plist-data]", detail = key path) because data often wraps a nested plist or a key.
//
// ReplacesParentScan differs, which is why there are two extractors:
//   - binary: true. Non-ASCII strings are UTF-16BE in the raw bytes, so the raw scan
//     misses them, and our children already hold every string and data value. If the
//     file cannot be parsed, the raw bytes (minus the magic) are emitted as a fallback
//     child so nothing goes unscanned.
//   - XML: false. The raw text is already plain; the children add key-path labels and
//     entity-decoded/base64-decoded values on top.
#pragma once

#include "extract/extractor.h"

#include <memory>

namespace leakproof::scanner {

class BinaryPlistExtractor : public Extractor {
 public:
  std::string_view name() const override { return "bplist"; }
  bool CanExtract(const Blob& blob) const override;
  bool ReplacesParentScan() const override { return true; }
  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override;
};

class XmlPlistExtractor : public Extractor {
 public:
  std::string_view name() const override { return "plist-xml"; }
  bool CanExtract(const Blob& blob) const override;
  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override;
};

std::unique_ptr<Extractor> NewBinaryPlistExtractor();
std::unique_ptr<Extractor> NewXmlPlistExtractor();

}  // namespace leakproof::scanner
