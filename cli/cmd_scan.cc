// `leakproof scan PATH...`: find secrets in files, directories, archives and stdin.
#include "leakproof/scanner/report.h"
#include "leakproof/scanner/scanner.h"

#include "command.h"
#include "engine_setup.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <set>
#include <unistd.h>

namespace leakproof::cli {
namespace {

struct ScanCommandOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string output;
  std::string color = "auto";
  std::string fail_on = "secret";
  std::string baseline;
  std::string write_baseline;
  bool no_redact = false;
  bool sort = false;
  bool progress = true;
  bool verbose = false;
  bool include_placeholders = false;
  bool no_ignore_file = false;
  RuleOptions rules;
  scanner::ScanOptions scan;
};

// Which findings make the exit code 1. Classes: "secret" (default), "conditional"
// (secret + conditional), "any"; severities: "low".."critical" (secret and conditional
// findings at or above); "none" never fails.
bool Fails(const scanner::Finding& f, const std::string& fail_on) {
  const scanner::Rule& r = *f.rule;
  if (fail_on == "none") return false;
  if (fail_on == "any") return true;
  if (fail_on == "secret") return r.rule_class == scanner::RuleClass::kSecret;
  if (fail_on == "conditional") return r.rule_class != scanner::RuleClass::kPublishable;
  auto sev = scanner::ParseSeverity(fail_on);
  return r.rule_class != scanner::RuleClass::kPublishable && sev.ok() && r.severity >= *sev;
}

scanner::Result<std::vector<std::string>> ReadBaseline(const std::string& path) {
  std::ifstream in(path);
  if (!in) return scanner::Status::IOError("cannot read baseline '" + path + "'");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded())
    return scanner::Status::InvalidArgument("baseline '" + path + "' is not JSON");
  std::vector<std::string> prints;
  // Our baseline file ({"fingerprints": [...]}) or a saved JSON report ({"findings": [...]}).
  if (j.contains("fingerprints") && j["fingerprints"].is_array()) {
    for (const auto& f : j["fingerprints"]) {
      if (f.is_string()) prints.push_back(f.get<std::string>());
    }
  } else if (j.contains("findings") && j["findings"].is_array()) {
    for (const auto& f : j["findings"]) {
      if (f.contains("fingerprint") && f["fingerprint"].is_string())
        prints.push_back(f["fingerprint"]);
    }
  } else {
    return scanner::Status::InvalidArgument("baseline '" + path +
                                            "' has neither 'fingerprints' nor 'findings'");
  }
  return prints;
}

bool WriteBaseline(const std::string& path, const std::vector<std::string>& old,
                   const std::vector<scanner::Finding>& findings) {
  std::set<std::string> all(old.begin(), old.end());
  for (const auto& f : findings) all.insert(f.fingerprint);
  nlohmann::json j = {{"version", 1}, {"tool", "leakproof"}, {"fingerprints", all}};
  std::ofstream out(path);
  out << j.dump(2) << '\n';
  return static_cast<bool>(out);
}

int RunScan(ScanCommandOptions& o) {
  auto format = scanner::ParseReportFormat(o.format);
  if (!format.ok()) {
    std::fprintf(stderr, "leakproof scan: %s\n", format.status().message().c_str());
    return 2;
  }
  static const std::set<std::string> kFailOn = {"none", "any",    "secret", "conditional", "info",
                                                "low",  "medium", "high",   "critical"};
  if (kFailOn.count(o.fail_on) == 0) {
    std::fprintf(stderr,
                 "leakproof scan: --fail-on must be one of none, any, secret, conditional, low, "
                 "medium, high, critical\n");
    return 2;
  }
  std::vector<std::string> baseline;
  if (!o.baseline.empty()) {
    auto b = ReadBaseline(o.baseline);
    if (!b.ok()) {
      std::fprintf(stderr, "leakproof scan: %s\n", b.status().message().c_str());
      return 2;
    }
    baseline = std::move(b).value();
  }
  auto engine = BuildEngine(o.rules);
  if (!engine) return 2;

  o.scan.paths = o.paths;
  o.scan.baseline = baseline;
  o.scan.suppress_placeholders = !o.include_placeholders;
  o.scan.use_ignore_file = !o.no_ignore_file;
  o.scan.cache_dir = o.rules.cache_dir;  // the secret_hash key lives beside the rule cache

  const bool stderr_tty = isatty(STDERR_FILENO) != 0;
  scanner::ScanObserver observer;
  std::mutex progress_mu;
  auto last = std::chrono::steady_clock::now();
  bool progress_shown = false;
  if (o.progress && stderr_tty) {
    observer.on_progress = [&](std::uint64_t files, std::uint64_t bytes) {
      std::lock_guard<std::mutex> lock(progress_mu);
      auto now = std::chrono::steady_clock::now();
      if (now - last < std::chrono::milliseconds(200)) return;
      last = now;
      progress_shown = true;
      std::fprintf(stderr, "\r\033[Kscanning: %llu files, %.1f MB",
                   static_cast<unsigned long long>(files), static_cast<double>(bytes) / 1e6);
    };
  }
  scanner::ScanResult result = scanner::Scan(*engine, o.scan, observer);
  if (progress_shown) std::fprintf(stderr, "\r\033[K");
  if (o.sort) scanner::SortResult(result);

  scanner::ReportOptions ro;
  ro.redact = !o.no_redact;
  ro.show_info = o.verbose;
  ro.fails = [&o](const scanner::Finding& f) { return Fails(f, o.fail_on); };  // JUnit failures
  std::ofstream file_out;
  std::ostream* out = &std::cout;
  if (!o.output.empty()) {
    file_out.open(o.output, std::ios::binary | std::ios::trunc);
    if (!file_out) {
      std::fprintf(stderr, "leakproof scan: cannot write '%s'\n", o.output.c_str());
      return 2;
    }
    out = &file_out;
  }
  ro.color =
      o.color == "always" || (o.color == "auto" && o.output.empty() && isatty(STDOUT_FILENO) != 0 &&
                              std::getenv("NO_COLOR") == nullptr);
  scanner::WriteReport(*format, result, engine->rules(), ro, *out);
  out->flush();
  if (!*out) {
    std::fprintf(stderr, "leakproof scan: error writing the report\n");
    return 2;
  }
  if (!o.write_baseline.empty() && !WriteBaseline(o.write_baseline, baseline, result.findings)) {
    std::fprintf(stderr, "leakproof scan: cannot write baseline '%s'\n", o.write_baseline.c_str());
    return 2;
  }
  // Keep stdout machine-readable: errors that cost coverage also go to stderr.
  if (*format != scanner::ReportFormat::kText) {
    for (const auto& d : result.diagnostics) {
      if (d.level == scanner::DiagnosticLevel::kError) {
        std::fprintf(stderr, "leakproof scan: %s: %s\n", d.location.c_str(), d.message.c_str());
      }
    }
  }
  // The process exits next: freeing the compiled rules (hundreds of RE2 programs and
  // their DFA caches) would only add ~25 ms to every scan. A static keeps them
  // reachable, so leak checkers do not report them.
  static const scanner::Engine* const kFreedByExit = engine.release();
  (void)kFreedByExit;
  for (const auto& f : result.findings) {
    if (Fails(f, o.fail_on)) return 1;
  }
  return result.input_error ? 2 : 0;
}

}  // namespace

void SetupScanCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ScanCommandOptions>();
  CLI::App* cmd =
      app.add_subcommand("scan", "Scan files, directories, archives or stdin (-) for secrets");
  cmd->add_option("paths", opts->paths, "Files, directories, or - for stdin")->required();
  cmd->add_option("-f,--format", opts->format, "text, json, jsonl, sarif or junit")
      ->capture_default_str();
  cmd->add_option("-o,--output", opts->output, "Write the report to FILE instead of stdout");
  cmd->add_flag("--no-redact", opts->no_redact, "Print full secrets (never the default)");
  cmd->add_flag("--sort", opts->sort, "Deterministic order of findings (for diffs and tests)");
  cmd->add_option("-j,--threads", opts->scan.threads, "Worker threads (default: cores)");
  cmd->add_option("--exclude", opts->scan.excludes, "Skip paths matching GLOB (repeatable)");
  cmd->add_flag("--no-ignore-file", opts->no_ignore_file, "Do not read .leakproofignore");
  cmd->add_flag("--follow-symlinks", opts->scan.follow_symlinks, "Follow symbolic links");
  cmd->add_option("--baseline", opts->baseline, "Ignore findings whose fingerprint is in FILE");
  cmd->add_option("--write-baseline", opts->write_baseline,
                  "Write fingerprints of all findings to FILE");
  cmd->add_option("--fail-on", opts->fail_on,
                  "Exit 1 for findings at or above: secret (default), conditional, any, none, or a "
                  "severity (low, medium, high, critical)")
      ->capture_default_str();
  cmd->add_option("--color", opts->color, "auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("!--no-progress", opts->progress, "No progress line on stderr");
  cmd->add_flag("-v,--verbose", opts->verbose, "Also show info diagnostics");
  cmd->add_flag("--include-placeholders", opts->include_placeholders,
                "Report values that look like placeholders (EXAMPLE, xxxx, your_api_key)");
  auto& lim = opts->scan.limits;
  cmd->add_option("--max-depth", lim.max_depth, "Max nesting of archives/encodings")
      ->capture_default_str();
  cmd->add_option("--max-file-size", lim.max_file_bytes, "Skip inputs larger than BYTES")
      ->capture_default_str();
  cmd->add_option("--max-member-size", lim.max_member_bytes, "Largest decompressed member, BYTES")
      ->capture_default_str();
  cmd->add_option("--max-total-size", lim.max_total_bytes, "Decompressed bytes per input, BYTES")
      ->capture_default_str();
  cmd->add_option("--max-ratio", lim.max_ratio, "Largest compression ratio of a member")
      ->capture_default_str();
  cmd->add_option("--max-entries", lim.max_entries, "Most members read from one archive")
      ->capture_default_str();
  cmd->add_option("--max-findings", opts->scan.max_findings, "Stop reporting after N findings");
  cmd->add_option("--chunk-size", opts->scan.chunk_bytes, "Scan window in bytes (testing)")
      ->group("");  // hidden: tests use it to force chunk boundaries
  AddRuleFlags(cmd, opts->rules);
  cmd->callback([opts, &exit_code] { exit_code = RunScan(*opts); });
}

}  // namespace leakproof::cli
