// Where `scan` gets its inputs beyond the command line: --inputs-from lists and --shard.
#pragma once

#include "leakproof/scanner/scanner.h"
#include "leakproof/scanner/status.h"

#include "scan_command.h"

#include <string>
#include <string_view>
#include <vector>

namespace leakproof::cli {

// The paths listed in `file` ("-": stdin), one per line. Leading and trailing blanks
// (and a CR from a Windows-edited list) are trimmed; blank lines and lines starting with
// '#' are skipped. A file that cannot be read is an IOError naming it.
scanner::Result<std::vector<std::string>> ReadInputList(const std::string& file);

// "K/N" with 0 <= K < N <= 65536 (K 0-based, like $JOB_COMPLETION_INDEX).
scanner::Result<scanner::ShardSpec> ParseShard(std::string_view text);

// `scan --inputs-from FILE --shard K/N`: the listed paths joined to PATH..., and the share
// of them this process takes. Returns an error message for the user, or "".
std::string AddScanInputs(const std::string& inputs_from, const std::string& shard,
                          ScanCommandOptions& o);

}  // namespace leakproof::cli
