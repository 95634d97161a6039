// Blob, Provenance and SegmentedBlobBuilder.
#include "leakproof/scanner/blob.h"

#include <algorithm>

namespace leakproof::scanner {

Provenance Provenance::Child(Origin step) const {
  Provenance p = *this;
  p.chain_.push_back(std::move(step));
  return p;
}

const std::string& Provenance::root() const {
  static const std::string kEmpty;
  return chain_.empty() ? kEmpty : chain_.front().name;
}

std::string Provenance::ToString() const {
  std::string out;
  for (std::size_t i = 0; i < chain_.size(); ++i) {
    const Origin& o = chain_[i];
    if (o.is_decoding) {
      out += "[" + o.name + "]";
      continue;
    }
    if (i > 0) out += '!';
    out += o.name;
  }
  return out;
}

Blob Blob::FromString(std::string data, Provenance provenance) {
  auto owned = std::make_shared<const std::string>(std::move(data));
  Blob b;
  b.bytes_ = *owned;
  b.owner_ = owned;
  b.provenance_ = std::move(provenance);
  return b;
}

Blob Blob::FromView(std::string_view bytes, std::shared_ptr<const void> owner,
                    Provenance provenance) {
  Blob b;
  b.bytes_ = bytes;
  b.owner_ = std::move(owner);
  b.provenance_ = std::move(provenance);
  return b;
}

const std::string* Blob::SegmentLabelAt(std::uint64_t offset) const {
  if (segments_.empty()) return nullptr;
  auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                             [](std::uint64_t off, const Segment& s) { return off < s.offset; });
  if (it == segments_.begin()) return nullptr;
  --it;
  return it->label.empty() ? nullptr : &it->label;
}

void SegmentedBlobBuilder::Add(std::string_view text, std::string label) {
  if (!data_.empty()) data_ += '\n';
  segments_.push_back({data_.size(), std::move(label)});
  data_.append(text);
}

Blob SegmentedBlobBuilder::Build(Provenance provenance) && {
  Blob b = Blob::FromString(std::move(data_), std::move(provenance));
  b.set_segments(std::move(segments_));
  b.set_report_lines(false);
  return b;
}

}  // namespace leakproof::scanner
