// The list of built-in extractors. Order matters only for cost: cheap magic checks first.
// To add a format: implement an Extractor in extract/<format>_extractor.{h,cc} and add
// its factory here.
#include "extract/extractor.h"

namespace leakproof::scanner {

const std::vector<std::unique_ptr<Extractor>>& BuiltinExtractors() {
  static const std::vector<std::unique_ptr<Extractor>> kExtractors = [] {
    std::vector<std::unique_ptr<Extractor>> v;
    // (extractors are registered here as they land)
    return v;
  }();
  return kExtractors;
}

}  // namespace leakproof::scanner
