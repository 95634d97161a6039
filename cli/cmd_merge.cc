// `leakproof merge REPORT...`: one report over many scans (apps, shards, CI jobs).
// Inputs are json, jsonl or sarif reports, told apart by content; each is validated and
// a bad one (truncated, not a report) stops the merge with an error naming it (exit 2),
// so a half-written shard never yields a quietly smaller merged report.
#include "leakproof/scanner/report.h"

#include "command.h"
#include "exit_codes.h"
#include "merge_inputs.h"
#include "merge_report.h"
#include "merge_sarif.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

namespace leakproof::cli {
namespace {

struct MergeCommandOptions {
  std::vector<std::string> inputs;
  std::string format = "json";
  std::string output;
  bool quiet = false;
};

int Fail(const std::string& message) {
  std::fprintf(stderr, "leakproof merge: %s\n", message.c_str());
  return kExitError;
}

int RunMerge(const MergeCommandOptions& o) {
  std::vector<ScanReport> reports;
  for (const std::string& input : o.inputs) {
    auto r = ReadScanReport(input);
    if (!r.ok()) return Fail(r.status().message());
    reports.push_back(std::move(r).value());
  }
  const nlohmann::json doc = MergeReports(reports);
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!o.output.empty() && o.output != "-") {
    file.open(o.output, std::ios::binary | std::ios::trunc);
    if (!file) return Fail("cannot write '" + o.output + "': " + std::strerror(errno));
    out = &file;
  }
  const auto dump = [&doc](int indent) {
    return doc.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  if (o.format == "json") {
    *out << dump(2) << '\n';
  } else if (o.format == "jsonl") {
    WriteMergedJsonl(doc, *out);
  } else if (o.format == "sarif") {
    *out << MergedSarif(doc).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else if (o.format == "html") {
    scanner::WriteHtmlReport(dump(-1), *out);
  } else {
    WriteMergedText(doc, *out);
  }
  out->flush();
  if (!*out) return Fail("error writing the merged report");
  if (!o.quiet) {
    std::fprintf(
        stderr, "leakproof merge: %zu scans, %zu findings, %zu apps, %zu shared secrets%s\n",
        reports.size(), doc["findings"].size(), doc["per_app"].size(), doc["shared"].size(),
        doc["complete"].get<bool>() ? "" : "; INCOMPLETE scans among them");
    for (const auto& n : doc["notes"]) {
      std::fprintf(stderr, "leakproof merge: note: %s\n", n.get<std::string>().c_str());
    }
  }
  return kExitClean;
}

}  // namespace

void SetupMergeCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<MergeCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "merge", "Merge scan reports (json, jsonl, sarif) into one, across apps and shards");
  cmd->add_option("reports", opts->inputs, "Report files written by `leakproof scan`")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-f,--format", opts->format, "json, jsonl, sarif, html or text")
      ->check(CLI::IsMember({"json", "jsonl", "sarif", "html", "text"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", opts->output, "Write the merged report to FILE ('-': stdout)");
  cmd->add_flag("-q,--quiet", opts->quiet, "No summary on stderr");
  cmd->callback([opts, &exit_code] { exit_code = RunMerge(*opts); });
}

}  // namespace leakproof::cli
