// Binary and XML plist extractors; see plist_extractor.h.
#include "extract/apple/plist_extractor.h"

#include "extract/apple/native_plist_reader.h"
#include "extract/named_value.h"

#include <algorithm>
#include <string>
#include <utility>

namespace leakproof::scanner {
namespace {

constexpr std::string_view kBplistMagic = "bplist00";

// Collects strings into one segmented child and emits data values as they come.
class PlistChildren {
 public:
  PlistChildren(const Blob& blob, ExtractContext& ctx, const ChildSink& emit, bool data_is_view)
      : blob_(blob), ctx_(ctx), emit_(emit), data_is_view_(data_is_view) {}

  native::PlistCallbacks Callbacks() {
    native::PlistCallbacks cb;
    cb.on_string = [this](const std::string& path, std::string_view text, bool is_key) {
      return AddString(path, text, is_key);
    };
    cb.on_data = [this](const std::string& path, std::string_view bytes) {
      return EmitData(path, bytes);
    };
    cb.on_problem = [this](StatusCode code, std::string message) {
      ctx_.Diagnose(blob_.provenance(), DiagnosticLevel::kWarning, code, std::move(message));
      had_problem_ = true;
    };
    return cb;
  }

  // Emits the strings child; false when the sink asked to stop.
  bool Finish() {
    if (strings_.empty() || stopped_) return !stopped_;
    Blob child = std::move(strings_).Build(blob_.provenance().Child({"plist", "", true}));
    child.set_depth(blob_.depth() + 1);
    return emit_(std::move(child));
  }

  bool had_problem() const { return had_problem_; }
  bool stopped() const { return stopped_; }

 private:
  bool AddString(const std::string& path, std::string_view text, bool is_key) {
    if (text.empty()) return true;
    // A value is written beside its key path ("Amplitude_ApiKey = ...", see
    // named_value.h): a keyword-gated rule then sees the key the way it sees it in
    // source, which a binary plist otherwise hides.
    const std::string line =
        !is_key && !path.empty() ? NameBesideValue(path, text) : std::string(text);
    const std::uint64_t cost = line.size() + 1;
    if (strings_.size() + cost > ctx_.limits().max_member_bytes || !ctx_.budget().Take(cost)) {
      ctx_.Diagnose(blob_.provenance(), DiagnosticLevel::kWarning, StatusCode::kLimitExceeded,
                    "plist strings exceed the byte limit; the rest were not scanned");
      had_problem_ = true;
      return false;
    }
    strings_.Add(line, is_key ? path + " (key)" : path);
    return true;
  }

  bool EmitData(const std::string& path, std::string_view bytes) {
    if (bytes.empty()) return true;
    Provenance prov = blob_.provenance().Child({"plist-data", path, true});
    Blob child;
    if (data_is_view_) {
      child = Blob::FromView(bytes, blob_.owner(), std::move(prov));
    } else {
      if (bytes.size() > ctx_.limits().max_member_bytes || !ctx_.budget().Take(bytes.size())) {
        ctx_.Diagnose(blob_.provenance(), DiagnosticLevel::kWarning, StatusCode::kLimitExceeded,
                      "plist data value at " + path + " exceeds the byte limit; not scanned");
        had_problem_ = true;
        return true;
      }
      child = Blob::FromString(std::string(bytes), std::move(prov));
    }
    child.set_depth(blob_.depth() + 1);
    if (!emit_(std::move(child))) stopped_ = true;
    return !stopped_;
  }

  const Blob& blob_;
  ExtractContext& ctx_;
  const ChildSink& emit_;
  bool data_is_view_;
  SegmentedBlobBuilder strings_;
  bool had_problem_ = false;
  bool stopped_ = false;
};

std::string_view SkipBomAndSpace(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  while (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) {
    s.remove_prefix(1);
  }
  return s;
}

}  // namespace

bool BinaryPlistExtractor::CanExtract(const Blob& blob) const {
  return blob.bytes().substr(0, kBplistMagic.size()) == kBplistMagic;
}

Status BinaryPlistExtractor::Extract(const Blob& blob, ExtractContext& ctx,
                                     const ChildSink& emit) const {
  PlistChildren children(blob, ctx, emit, /*data_is_view=*/true);
  const native::PlistCallbacks cb = children.Callbacks();
  Status status = native::ReadBinaryPlist(blob.bytes(), cb, native::PlistReadLimits{});
  if (!children.Finish()) return Status::Ok();
  if (!status.ok() || children.had_problem()) {
    // We replace the parent's raw scan, so whatever we could not walk is handed on as
    // raw bytes. The magic is dropped so this child is not taken for a bplist again.
    Blob raw = Blob::FromView(blob.bytes().substr(std::min(blob.size(), kBplistMagic.size())),
                              blob.owner(), blob.provenance().Child({"bplist-raw", "", true}));
    raw.set_depth(blob.depth() + 1);
    emit(std::move(raw));
  }
  return status;
}

bool XmlPlistExtractor::CanExtract(const Blob& blob) const {
  const std::string_view head = SkipBomAndSpace(blob.bytes().substr(0, 1024));
  if (head.substr(0, 5) != "<?xml" && head.substr(0, 9) != "<!DOCTYPE" &&
      head.substr(0, 6) != "<plist") {
    return false;
  }
  return head.find("<plist") != std::string_view::npos ||
         head.find("<!DOCTYPE plist") != std::string_view::npos;
}

Status XmlPlistExtractor::Extract(const Blob& blob, ExtractContext& ctx,
                                  const ChildSink& emit) const {
  PlistChildren children(blob, ctx, emit, /*data_is_view=*/false);
  const native::PlistCallbacks cb = children.Callbacks();
  Status status = native::ReadXmlPlist(blob.bytes(), cb, native::PlistReadLimits{});
  children.Finish();
  return status;
}

std::unique_ptr<Extractor> NewBinaryPlistExtractor() {
  return std::make_unique<BinaryPlistExtractor>();
}

std::unique_ptr<Extractor> NewXmlPlistExtractor() { return std::make_unique<XmlPlistExtractor>(); }

}  // namespace leakproof::scanner
