// Keystores (JKS, JCEKS, PKCS#12, BKS) found by content in any file or archive member.
#pragma once

#include "extract/extractor.h"

#include <memory>

namespace leakproof::scanner {

std::unique_ptr<Extractor> NewKeystoreExtractor();

}  // namespace leakproof::scanner
