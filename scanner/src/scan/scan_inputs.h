// ScanInputs: the worker pool behind Scan() and ScanGit(), fed by any enumerator.
//
// `produce` runs on the calling thread and hands each top-level input to `push`
// (which blocks while the bounded queue is full, so a large history or tree never sits
// in memory at once; it returns false once the scan stops early) and each problem it
// meets to `diagnose`. It returns false when an input the user named could not be
// scanned at all (ScanResult::input_error).
#pragma once

#include "leakproof/scanner/scanner.h"

#include "scan/walker.h"

#include <functional>

namespace leakproof::scanner {

using PushInput = std::function<bool(WalkItem)>;
using DiagnoseInput = std::function<void(Diagnostic)>;
using InputProducer = std::function<bool(const PushInput& push, const DiagnoseInput& diagnose)>;

ScanResult ScanInputs(const Engine& engine, const ScanOptions& options,
                      const ScanObserver& observer, const InputProducer& produce);

}  // namespace leakproof::scanner
