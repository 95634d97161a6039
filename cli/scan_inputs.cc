// --inputs-from and --shard values for `scan`.
#include "scan_inputs.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iostream>

namespace leakproof::cli {
namespace {

std::string_view Trim(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string> ReadLines(std::istream& in) {
  std::vector<std::string> paths;
  for (std::string line; std::getline(in, line);) {
    const std::string_view path = Trim(line);
    if (path.empty() || path.front() == '#') continue;
    paths.emplace_back(path);
  }
  return paths;
}

bool ParseNumber(std::string_view s, std::uint32_t& value) {
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, value);
  return !s.empty() && ec == std::errc() && p == end;
}

}  // namespace

scanner::Result<std::vector<std::string>> ReadInputList(const std::string& file) {
  if (file == "-") {
    auto paths = ReadLines(std::cin);
    if (std::cin.bad()) return scanner::Status::IOError("cannot read the input list from stdin");
    return paths;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return scanner::Status::IOError("cannot read --inputs-from '" + file +
                                    "': " + std::strerror(errno));
  }
  auto paths = ReadLines(in);
  if (in.bad()) return scanner::Status::IOError("error reading --inputs-from '" + file + "'");
  return paths;
}

scanner::Result<scanner::ShardSpec> ParseShard(std::string_view text) {
  const auto slash = text.find('/');
  scanner::ShardSpec spec;
  if (slash == std::string_view::npos || !ParseNumber(text.substr(0, slash), spec.index) ||
      !ParseNumber(text.substr(slash + 1), spec.count) || spec.count == 0 || spec.count > 65536 ||
      spec.index >= spec.count) {
    return scanner::Status::InvalidArgument(
        "--shard must be K/N with 0 <= K < N <= 65536 (K is 0-based, like "
        "$JOB_COMPLETION_INDEX), not '" +
        std::string(text) + "'");
  }
  return spec;
}

// --inputs-from and --shard (scan only): the listed paths joined to PATH..., and the
// share of them this process takes. Returns an error message, or "".
std::string AddScanInputs(const std::string& inputs_from, const std::string& shard,
                          ScanCommandOptions& o) {
  if (!inputs_from.empty()) {
    if (inputs_from == "-" && std::count(o.paths.begin(), o.paths.end(), "-") > 0) {
      return "--inputs-from - reads the list from stdin: '-' cannot also be an input";
    }
    auto listed = ReadInputList(inputs_from);
    if (!listed.ok()) return listed.status().message();
    o.paths.insert(o.paths.end(), listed->begin(), listed->end());
    if (o.paths.empty()) return "--inputs-from " + inputs_from + " lists no inputs";
  }
  if (o.paths.empty()) return "no inputs: give PATH... or --inputs-from FILE";
  if (!shard.empty()) {
    auto parsed = ParseShard(shard);
    if (!parsed.ok()) return parsed.status().message();
    o.scan.shard = *parsed;
  }
  return "";
}

}  // namespace leakproof::cli
