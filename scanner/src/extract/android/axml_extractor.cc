// Binary XML (ResXMLTree) walking; layout from frameworks/base ResourceTypes.h.
//
// RES_XML_TYPE (0x0003) holds a string pool, an optional resource map (attribute
// resource ids, parallel to the first pool strings), and tree nodes. A node is a
// ResXMLTree_node header (chunk header, lineNumber, comment) followed by an extension:
// for START_ELEMENT, ResXMLTree_attrExt {ns, name, attributeStart, attributeSize,
// attributeCount, ...} and attributeCount ResXMLTree_attribute {ns, name, rawValue,
// Res_value typedValue} records; for CDATA, {data, Res_value}.
#include "extract/android/axml_extractor.h"

#include "extract/android/android_byte_reader.h"
#include "extract/android/res_chunk.h"
#include "extract/android/res_string_pool.h"
#include "extract/budgeted_segments.h"
#include "extract/named_value.h"

#include <string>
#include <vector>

namespace leakproof::scanner {

namespace {

constexpr std::uint16_t kXmlType = 0x0003;
constexpr std::uint16_t kXmlResourceMapType = 0x0180;
constexpr std::uint16_t kXmlStartElementType = 0x0102;
constexpr std::uint16_t kXmlEndElementType = 0x0103;
constexpr std::uint16_t kXmlCdataType = 0x0104;
constexpr std::uint8_t kTypeString = 0x03;
constexpr std::uint32_t kNoIndex = 0xFFFFFFFF;
constexpr std::uint64_t kAttributeBytes = 20;
// android:name and android:value; used when an obfuscator blanked the attribute name
// strings but left the resource map intact.
constexpr std::uint32_t kAttrNameId = 0x01010003;
constexpr std::uint32_t kAttrValueId = 0x01010024;

struct Attribute {
  std::string name;
  std::uint32_t value_index = kNoIndex;  // pool index of the string value
};

class AxmlWalker {
 public:
  AxmlWalker(const Blob& blob, ExtractContext& ctx) : blob_(blob), ctx_(ctx), out_(ctx) {}

  Status Run(const ChildSink& emit) {
    AndroidByteReader r(blob_.bytes());
    const std::uint16_t header_size = *r.U16(2);
    const std::uint32_t size = *r.U32(4);
    if (header_size < 8 || size < header_size) return Status::Corrupt("axml: bad file header");
    std::string_view body = blob_.bytes();
    if (size > body.size()) {
      Warn(StatusCode::kCorrupt, "axml: truncated (header says " + std::to_string(size) +
                                     " bytes, file has " + std::to_string(body.size()) + ")");
    } else {
      body = body.substr(0, size);
    }
    ResChunkWalker walker(body, header_size);
    while (auto chunk = walker.Next()) {
      if (!HandleChunk(*chunk)) break;
    }
    if (!walker.error().empty()) Warn(StatusCode::kCorrupt, "axml: " + walker.error());
    if (!pool_) return Status::Corrupt("axml: no string pool");
    // Every other pool string (text, names, values we could not place) is still
    // scanned: a key in an unusual spot must not be missed.
    for (std::uint32_t i = 0; i < pool_->size(); ++i) {
      if (!used_[i]) out_.Add(*pool_->Get(i), "");
    }
    if (out_.limited()) {
      Warn(StatusCode::kLimitExceeded,
           "axml: strings exceed the per-member or total byte limit; rest skipped");
    }
    if (!out_.empty()) {
      emit(std::move(out_).Build(blob_.provenance().Child({"axml-strings", "", true})));
    }
    return Status::Ok();
  }

 private:
  void Warn(StatusCode code, std::string message) {
    ctx_.Diagnose(blob_.provenance(), DiagnosticLevel::kWarning, code, std::move(message));
  }

  // False stops the walk.
  bool HandleChunk(const ResChunk& c) {
    switch (c.type) {
      case kResStringPoolType:
        if (pool_) return true;  // only the first pool is the document's
        return ParsePool(c);
      case kXmlResourceMapType: {
        AndroidByteReader r(c.bytes);
        for (std::uint64_t off = c.header_size; r.Has(off, 4); off += 4) {
          res_ids_.push_back(*r.U32(off));
        }
        return true;
      }
      case kXmlStartElementType:
        return StartElement(c);
      case kXmlEndElementType:
        if (!stack_.empty()) stack_.pop_back();
        return true;
      case kXmlCdataType:
        return Cdata(c);
      default:
        return true;  // namespaces, unknown chunks: nothing scannable
    }
  }

  bool ParsePool(const ResChunk& c) {
    auto pool = ResStringPool::Parse(c.bytes, ctx_.limits().max_member_bytes);
    if (!pool.ok()) {
      Warn(StatusCode::kCorrupt, "axml: " + pool.status().message());
      return false;
    }
    if (pool->bad_strings() > 0) {
      Warn(StatusCode::kCorrupt,
           "axml: " + std::to_string(pool->bad_strings()) + " pool strings lie outside the pool");
    }
    if (pool->truncated()) {
      Warn(StatusCode::kLimitExceeded, "axml: string pool exceeds the per-member limit");
    }
    pool_ = std::move(pool.value());
    used_.assign(pool_->size(), false);
    return true;
  }

  // A pool string for use in a label, clipped: a hostile file may repeat a huge name
  // on every attribute, and copying it whole each time would be quadratic.
  std::string LabelPart(std::uint32_t index) const {
    const std::string* s = pool_ ? pool_->Get(index) : nullptr;
    return s ? s->substr(0, BudgetedSegments::kMaxLabelBytes) : std::string();
  }

  std::string AttributeName(std::uint32_t index) const {
    std::string name = LabelPart(index);
    if (name.empty() && index < res_ids_.size()) {
      if (res_ids_[index] == kAttrNameId) return "name";
      if (res_ids_[index] == kAttrValueId) return "value";
    }
    return name;
  }

  bool StartElement(const ResChunk& c) {
    AndroidByteReader r(c.bytes);
    const std::uint64_t ext = c.header_size;
    auto name = r.U32(ext + 4);
    auto attr_start = r.U16(ext + 8);
    auto attr_size = r.U16(ext + 10);
    auto attr_count = r.U16(ext + 12);
    if (!name || !attr_start || !attr_size || !attr_count) {
      Warn(StatusCode::kCorrupt, "axml: truncated element at offset " + std::to_string(c.offset));
      return true;  // the next chunk may still be fine
    }
    stack_.push_back(*name);
    const std::string element = LabelPart(*name);
    std::vector<Attribute> attrs;
    std::string meta_name;  // android:name of the element, for <meta-data> labels
    for (std::uint32_t i = 0; i < *attr_count; ++i) {
      const std::uint64_t a = ext + *attr_start + static_cast<std::uint64_t>(i) * *attr_size;
      if (*attr_size < kAttributeBytes || !r.Has(a, kAttributeBytes)) {
        Warn(StatusCode::kCorrupt,
             "axml: attributes of <" + element.substr(0, 64) + "> run past their chunk");
        break;
      }
      Attribute attr{AttributeName(*r.U32(a + 4)), *r.U32(a + 8)};
      if (attr.value_index == kNoIndex && *r.U8(a + 15) == kTypeString) {
        attr.value_index = *r.U32(a + 16);
      }
      if (attr.name == "name" && attr.value_index != kNoIndex)
        meta_name = LabelPart(attr.value_index);
      attrs.push_back(std::move(attr));
    }
    for (const Attribute& attr : attrs) {
      const std::string* value = pool_ ? pool_->Get(attr.value_index) : nullptr;
      if (value == nullptr) continue;
      used_[attr.value_index] = true;
      // <meta-data android:name="X" android:value="KEY"/>: X is what tells a user
      // which SDK the key belongs to, and (written beside the value, see named_value.h)
      // what lets a keyword-gated rule see it.
      if (element == "meta-data" && attr.name != "name" && !meta_name.empty()) {
        if (!out_.Add(NameBesideValue(meta_name, *value), "meta-data " + meta_name)) return false;
        continue;
      }
      if (!out_.Add(*value, element + "@" + attr.name)) return false;
    }
    return true;
  }

  bool Cdata(const ResChunk& c) {
    AndroidByteReader r(c.bytes);
    auto data = r.U32(c.header_size);
    if (!data || !pool_ || pool_->Get(*data) == nullptr) return true;
    used_[*data] = true;
    std::string parent = stack_.empty() ? std::string() : LabelPart(stack_.back());
    return out_.Add(*pool_->Get(*data), parent + "#text");
  }

  const Blob& blob_;
  ExtractContext& ctx_;
  BudgetedSegments out_;
  std::optional<ResStringPool> pool_;
  std::vector<bool> used_;
  std::vector<std::uint32_t> res_ids_;
  std::vector<std::uint32_t> stack_;  // pool indices of the open elements' names
};

class AxmlExtractor final : public Extractor {
 public:
  std::string_view name() const override { return "axml"; }
  bool CanExtract(const Blob& blob) const override {
    AndroidByteReader r(blob.bytes());
    return r.U16(0) == kXmlType && r.U16(2) == std::optional<std::uint16_t>(8) && r.Has(0, 8);
  }
  // The raw bytes are mostly UTF-16 and offsets: every string is in the child.
  bool ReplacesParentScan() const override { return true; }

  Status Extract(const Blob& blob, ExtractContext& ctx, const ChildSink& emit) const override {
    if (!CanExtract(blob)) return Status::Corrupt("axml: not a binary XML document");
    AxmlWalker walker(blob, ctx);
    return walker.Run(emit);
  }
};

}  // namespace

std::unique_ptr<Extractor> NewAxmlExtractor() { return std::make_unique<AxmlExtractor>(); }

}  // namespace leakproof::scanner
