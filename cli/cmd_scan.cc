// `leakproof scan PATH...`: find secrets in files, directories, archives and stdin.
#include "leakproof/scanner/report.h"
#include "leakproof/scanner/scanner.h"

#include "command.h"
#include "config_apply.h"
#include "engine_setup.h"
#include "exit_codes.h"
#include "flag_values.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
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
  std::string baseline_reason;
  bool no_redact = false;
  bool sort = false;
  bool no_progress = false;
  bool quiet = false;
  bool verbose = false;
  bool allow_incomplete = false;
  bool include_placeholders = false;
  bool no_ignore_file = false;
  RuleOptions rules;
  scanner::ScanOptions scan;
  ConfigFlags config;  // --config-file / --no-config
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

scanner::Result<std::vector<scanner::BaselineEntry>> ReadBaseline(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return scanner::Status::IOError("cannot read baseline '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return scanner::ParseBaseline(ss.str(), path);
}

std::string TodayUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "leakproof scan: %s\n", message.c_str());
  return kExitError;
}

// Where the report goes: stdout ("-o -" or no -o) or a file opened before the scan, so
// an unwritable path fails in a second instead of after a long scan.
struct ReportSink {
  std::ofstream file;
  std::ostream* out = &std::cout;
  bool to_stdout = true;
};

scanner::Status OpenSink(const std::string& output, ReportSink& sink) {
  if (output.empty() || output == "-") return scanner::Status::Ok();
  sink.file.open(output, std::ios::binary | std::ios::trunc);
  if (!sink.file) {
    return scanner::Status::IOError("cannot write '" + output + "': " + std::strerror(errno));
  }
  sink.out = &sink.file;
  sink.to_stdout = false;
  return scanner::Status::Ok();
}

// --write-baseline: the existing file's entries (their reasons kept), --baseline's, and
// this run's findings; written through a temporary file so a failed write never leaves a
// truncated baseline behind.
class BaselineWriter {
 public:
  BaselineWriter() = default;
  BaselineWriter(const BaselineWriter&) = delete;
  BaselineWriter& operator=(const BaselineWriter&) = delete;
  ~BaselineWriter() {
    if (out_.is_open()) {  // the run ended before Write(): leave no temporary behind
      out_.close();
      std::remove(tmp_.c_str());
    }
  }

  scanner::Status Open(const std::string& path, const std::vector<scanner::BaselineEntry>& given) {
    path_ = path;
    entries_ = given;
    if (std::ifstream probe(path); probe) {
      auto old = ReadBaseline(path);
      if (!old.ok()) return old.status();
      entries_.insert(entries_.begin(), old->begin(), old->end());
    }
    tmp_ = path + ".tmp";
    out_.open(tmp_, std::ios::binary | std::ios::trunc);
    if (!out_) {
      return scanner::Status::IOError("cannot write baseline '" + path +
                                      "': " + std::strerror(errno));
    }
    return scanner::Status::Ok();
  }

  scanner::Status Write(const std::vector<scanner::Finding>& findings, const std::string& reason) {
    const std::string today = TodayUtc();
    out_ << scanner::BaselineToJson(scanner::MergeBaseline(
        std::move(entries_), findings, reason.empty() ? "accepted at " + today : reason, today));
    out_.close();
    if (!out_ || std::rename(tmp_.c_str(), path_.c_str()) != 0) {
      std::remove(tmp_.c_str());
      return scanner::Status::IOError("cannot write baseline '" + path_ + "'");
    }
    return scanner::Status::Ok();
  }

 private:
  std::string path_;
  std::string tmp_;
  std::ofstream out_;
  std::vector<scanner::BaselineEntry> entries_;
};

// "12 findings (3 failing), 40 files": the one line a run with -o prints on stderr.
std::string SummaryLine(const scanner::ScanResult& r, std::size_t failing,
                        const std::string& output) {
  std::string s = std::to_string(r.findings.size()) + " finding" +
                  (r.findings.size() == 1 ? "" : "s") + " (" + std::to_string(failing) +
                  " failing --fail-on) in " + std::to_string(r.stats.files) + " file" +
                  (r.stats.files == 1 ? "" : "s");
  if (!output.empty() && output != "-") s += "; report written to " + output;
  return s;
}

// As validators, so a bad value from .leakproof.toml or LEAKPROOF_* is reported with the
// file or variable that gave it (config_apply.h), like a bad flag.
CLI::Validator FormatValue() {
  return CLI::Validator(
      [](std::string& value) {
        auto format = scanner::ParseReportFormat(value);
        return format.ok() ? std::string() : format.status().message();
      },
      "FORMAT");
}

CLI::Validator FailOnValue() {
  return CLI::Validator(
      [](std::string& value) {
        static const std::set<std::string> kFailOn = {
            "none", "any", "secret", "conditional", "info", "low", "medium", "high", "critical"};
        return kFailOn.count(value) != 0 ? std::string()
                                         : "--fail-on must be one of none, any, secret, "
                                           "conditional, low, medium, high, critical";
      },
      "LEVEL");
}

int RunScan(ScanCommandOptions& o) {
  auto format = scanner::ParseReportFormat(o.format);
  if (!format.ok()) return Fail(format.status().message());
  if (std::count(o.paths.begin(), o.paths.end(), "-") > 1) {
    return Fail("'-' (stdin) can be given only once");
  }
  std::vector<scanner::BaselineEntry> baseline;
  if (!o.baseline.empty()) {
    auto b = ReadBaseline(o.baseline);
    if (!b.ok()) return Fail(b.status().message());
    baseline = std::move(b).value();
  }
  ReportSink sink;
  if (auto st = OpenSink(o.output, sink); !st.ok()) return Fail(st.message());
  BaselineWriter baseline_out;
  if (!o.write_baseline.empty()) {
    if (auto st = baseline_out.Open(o.write_baseline, baseline); !st.ok()) {
      return Fail(st.message());
    }
  }
  auto engine = BuildEngine(o.rules);
  if (!engine) return kExitError;

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
  if (!o.no_progress && !o.quiet && stderr_tty) {
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
  const bool text_on_stdout = *format == scanner::ReportFormat::kText && sink.to_stdout;
  // Errors go to stderr (below), never into a report on stdout.
  ro.errors_in_report = !text_on_stdout;
  ro.color = o.color == "always" ||
             (o.color == "auto" && sink.to_stdout && AutoColor(isatty(STDOUT_FILENO) != 0));
  scanner::WriteReport(*format, result, engine->rules(), ro, *sink.out);
  sink.out->flush();
  if (!*sink.out) return Fail("error writing the report");
  if (!o.write_baseline.empty()) {
    if (auto st = baseline_out.Write(result.findings, o.baseline_reason); !st.ok()) {
      return Fail(st.message());
    }
  }
  for (const auto& d : result.diagnostics) {
    if (d.level == scanner::DiagnosticLevel::kError) {
      std::fprintf(stderr, "leakproof scan: error: %s: %s\n", d.location.c_str(),
                   d.message.c_str());
    }
  }
  // The process exits next: freeing the compiled rules (hundreds of RE2 programs and
  // their DFA caches) would only add ~25 ms to every scan. A static keeps them
  // reachable, so leak checkers do not report them.
  static const scanner::Engine* const kFreedByExit = engine.release();
  (void)kFreedByExit;

  const std::size_t failing = static_cast<std::size_t>(
      std::count_if(result.findings.begin(), result.findings.end(),
                    [&](const scanner::Finding& f) { return Fails(f, o.fail_on); }));
  const scanner::Coverage coverage = result.Completeness();
  if (!o.quiet) {
    // A text report on stdout already ends with these lines; every other run gets them
    // on stderr, so a terminal always shows the outcome.
    if (!text_on_stdout) {
      std::fprintf(stderr, "leakproof scan: %s\n", SummaryLine(result, failing, o.output).c_str());
      for (const std::string& line :
           {scanner::BaselineSentence(result), scanner::CoverageSentence(result)}) {
        if (!line.empty()) std::fprintf(stderr, "leakproof scan: %s\n", line.c_str());
      }
    }
    if (!coverage.complete && o.allow_incomplete) {
      std::fprintf(stderr, "leakproof scan: --allow-incomplete: exit code not affected\n");
    }
  }
  if (failing > 0) return kExitFindings;
  if (result.input_error) return kExitError;
  if (!coverage.complete && !o.allow_incomplete) return kExitIncomplete;
  return kExitClean;
}

}  // namespace

void SetupScanCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ScanCommandOptions>();
  CLI::App* cmd =
      app.add_subcommand("scan", "Scan files, directories, archives or stdin (-) for secrets");
  cmd->add_option("paths", opts->paths, "Files, directories, or - for stdin")->required();
  cmd->add_option("-f,--format", opts->format, "text, json, jsonl, sarif or junit")
      ->check(FormatValue())
      ->capture_default_str();
  cmd->add_option("-o,--output", opts->output, "Write the report to FILE ('-': stdout)");
  cmd->add_flag("--no-redact", opts->no_redact, "Print full secrets (never the default)");
  cmd->add_flag("--sort", opts->sort, "Deterministic order of findings (for diffs and tests)");
  cmd->add_option("-j,--threads", opts->scan.threads, "Worker threads, 1-1024 (default: cores)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--exclude", opts->scan.excludes, "Skip paths matching GLOB (repeatable)");
  cmd->add_flag("--no-ignore-file", opts->no_ignore_file, "Do not read .leakproofignore");
  cmd->add_flag("--follow-symlinks", opts->scan.follow_symlinks, "Follow symbolic links");
  cmd->add_option("--baseline", opts->baseline, "Hide findings accepted in baseline FILE");
  cmd->add_option("--write-baseline", opts->write_baseline,
                  "Add this run's findings to baseline FILE (merged with its entries)");
  cmd->add_option("--baseline-reason", opts->baseline_reason,
                  "Reason recorded for new --write-baseline entries (default: accepted at DATE)");
  cmd->add_option("--fail-on", opts->fail_on,
                  "Exit 1 for findings at or above: secret (default), conditional, any, none, or a "
                  "severity (low, medium, high, critical)")
      ->check(FailOnValue())
      ->capture_default_str();
  cmd->add_flag("--allow-incomplete", opts->allow_incomplete,
                "Exit 0 instead of 3 when something could not be fully scanned");
  cmd->add_option("--color", opts->color, "auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("--no-progress", opts->no_progress, "No progress line on stderr");
  cmd->add_flag("-q,--quiet", opts->quiet, "Only errors on stderr (no progress, no summary)");
  cmd->add_flag("-v,--verbose", opts->verbose, "Also show info diagnostics");
  cmd->add_flag("--include-placeholders", opts->include_placeholders,
                "Report values that look like placeholders (EXAMPLE, xxxx, your_api_key)");
  auto& lim = opts->scan.limits;
  cmd->add_option("--max-depth", lim.max_depth, "Max nesting of archives/encodings (0-64)")
      ->check(CLI::Range(0, 64))
      ->capture_default_str();
  cmd->add_option("--max-file-size", lim.max_file_bytes,
                  "Skip inputs larger than SIZE (10MB, 1GiB)")
      ->transform(SizeValue())
      ->capture_default_str();
  cmd->add_option("--max-member-size", lim.max_member_bytes, "Largest decompressed member, SIZE")
      ->transform(SizeValue(1))
      ->capture_default_str();
  cmd->add_option("--max-total-size", lim.max_total_bytes, "Decompressed bytes per input, SIZE")
      ->transform(SizeValue(1))
      ->capture_default_str();
  cmd->add_option("--max-ratio", lim.max_ratio, "Largest compression ratio of a member (>= 1)")
      ->transform(CountValue(1))
      ->capture_default_str();
  cmd->add_option("--max-entries", lim.max_entries, "Most members read from one archive (>= 1)")
      ->transform(CountValue(1))
      ->capture_default_str();
  cmd->add_option("--max-findings", opts->scan.max_findings,
                  "Report at most N findings in total (more: incomplete, exit 3)")
      ->transform(CountValue(0))
      ->capture_default_str();
  cmd->add_option("--chunk-size", opts->scan.chunk_bytes, "Scan window in bytes (testing)")
      ->transform(SizeValue(1))
      ->group("");  // hidden: tests use it to force chunk boundaries
  AddRuleFlags(cmd, opts->rules);
  AddConfigFlags(cmd, opts->config);
  cmd->callback([cmd, opts, &exit_code] {
    exit_code = ApplyConfigOrReport(*cmd, opts->config, ConfigRootFor(opts->paths));
    if (exit_code == kExitClean) exit_code = RunScan(*opts);
  });
}

}  // namespace leakproof::cli
