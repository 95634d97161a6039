// WriteTree: puts a GeneratedTree on disk under one output directory.
//
// Refuses any path that would land outside `out_dir` (absolute paths, "..", symlinked
// parents pointing elsewhere) and, unless `force`, any file that already exists — all
// checks run before the first byte is written, so a refusal leaves the disk untouched.
#pragma once

#include "leakproof/proxy/bff/generator.h"
#include "leakproof/scanner/status.h"

#include <string>

namespace leakproof::proxy::bff {

scanner::Status WriteTree(const GeneratedTree& tree, const std::string& out_dir, bool force);

}  // namespace leakproof::proxy::bff
