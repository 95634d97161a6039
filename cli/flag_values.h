// Flag value parsing for the CLI: sizes with units and bounded counts, as CLI11
// validators, so a nonsense value ("-5", "0", "10XB") stops the run with exit 2 and a
// one-line reason before anything is scanned.
#pragma once

#include "leakproof/scanner/status.h"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace leakproof::cli {

// "4096", "10MB", "1GiB", "512k": a byte count. Units (case-insensitive) follow GNU
// coreutils: K/M/G/T and KiB/MiB/GiB/TiB are powers of 1024, KB/MB/GB/TB of 1000, B is 1.
scanner::Result<std::uint64_t> ParseSize(const std::string& text);

// A plain non-negative integer (no sign, no units) no smaller than `min`, no larger than `max`.
scanner::Result<std::uint64_t> ParseCount(const std::string& text, std::uint64_t min,
                                          std::uint64_t max);

// Validators that rewrite the value to plain decimal for CLI11 to store.
CLI::Validator SizeValue(std::uint64_t min = 0);
CLI::Validator CountValue(std::uint64_t min, std::uint64_t max = UINT64_MAX);

// Whether "--color auto" means colour: a terminal, NO_COLOR unset or empty
// (no-color.org), and TERM not "dumb".
bool AutoColor(bool is_tty);

}  // namespace leakproof::cli
