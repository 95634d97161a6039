// `leakproof scan PATH...`: find secrets in files, directories, archives and stdin.
#include "leakproof/scanner/report.h"
#include "leakproof/scanner/scanner.h"

#include "command.h"
#include "config_apply.h"
#include "engine_setup.h"
#include "exit_codes.h"
#include "flag_values.h"
#include "report_sink.h"
#include "scan_command.h"
#include "scan_inputs.h"
#include "verify_flags.h"

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

// Which findings make the exit code 1. Classes: "secret" (default), "conditional"
// (secret + conditional), "any"; severities: "low".."critical" (secret and conditional
// findings at or above); "live" (keys --verify found live); "none" never fails. The class
// is the one --verify settled a conditional key to, if it did.
bool Fails(const scanner::Finding& f, const std::string& fail_on) {
  const scanner::Rule& r = *f.rule;
  const scanner::RuleClass cls = scanner::EffectiveClass(f);
  if (fail_on == "none") return false;
  if (fail_on == "any") return true;
  if (fail_on == "live") return f.verification.state == scanner::Verification::State::kLive;
  if (fail_on == "secret") return cls == scanner::RuleClass::kSecret;
  if (fail_on == "conditional") return cls != scanner::RuleClass::kPublishable;
  auto sev = scanner::ParseSeverity(fail_on);
  return cls != scanner::RuleClass::kPublishable && sev.ok() && r.severity >= *sev;
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

// "12 findings (3 failing), 40 files" (git: "40 blobs of 9 commits"): the one line a run
// with -o prints on stderr.
std::string SummaryLine(const scanner::ScanResult& r, std::size_t failing,
                        const std::string& output) {
  std::string s = std::to_string(r.findings.size()) + " finding" +
                  (r.findings.size() == 1 ? "" : "s") + " (" + std::to_string(failing) +
                  " failing --fail-on) in " + std::to_string(r.stats.files) +
                  (r.git ? " blob" : " file") + (r.stats.files == 1 ? "" : "s");
  if (r.git) s += " of " + std::to_string(r.git->commits) + " commits";
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

const std::set<std::string>& FailOnLevels() {
  static const std::set<std::string> kFailOn = {"none", "any",    "secret", "conditional", "info",
                                                "low",  "medium", "high",   "critical",    "live"};
  return kFailOn;
}
constexpr const char* kFailOnMessage =
    "--fail-on must be one of none, any, secret, conditional, low, medium, high, critical, live";

CLI::Validator FailOnValue() {
  return CLI::Validator(
      [](std::string& value) {
        return FailOnLevels().count(value) != 0 ? std::string() : kFailOnMessage;
      },
      "LEVEL");
}

}  // namespace

int RunScanCommand(const std::string& command, ScanCommandOptions& o, const ScanFn& scan) {
  // "leakproof scan" or "leakproof git": the prefix of every message of this run.
  const std::string prefix = "leakproof " + command;
  const char* const p = prefix.c_str();
  auto Fail = [p](const std::string& message) {
    std::fprintf(stderr, "%s: %s\n", p, message.c_str());
    return kExitError;
  };
  auto format = scanner::ParseReportFormat(o.format);
  if (!format.ok()) return Fail(format.status().message());
  if (FailOnLevels().count(o.fail_on) == 0) return Fail(kFailOnMessage);
  if (std::string bad = CheckVerifyFlags(o.verify, o.fail_on); !bad.empty()) return Fail(bad);
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
  if (auto st = sink.Open(o.output); !st.ok()) return Fail(st.message());
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
  auto scanned = scan(*engine, o.scan, observer);
  if (progress_shown) std::fprintf(stderr, "\r\033[K");
  if (!scanned.ok()) return Fail(scanned.status().message());
  scanner::ScanResult result = std::move(scanned).value();
  if (!RunVerifyStep(o.verify, result, engine->rules(), o.rules.cache_dir,
                     !o.no_progress && !o.quiet && stderr_tty)) {
    return kExitError;
  }
  if (o.sort) scanner::SortResult(result);

  scanner::ReportOptions ro;
  ro.redact = !o.no_redact;
  ro.show_info = o.verbose;
  ro.fails = [&o](const scanner::Finding& f) { return Fails(f, o.fail_on); };  // JUnit failures
  const bool text_on_stdout = *format == scanner::ReportFormat::kText && sink.to_stdout();
  // Errors go to stderr (below), never into a report on stdout.
  ro.errors_in_report = !text_on_stdout;
  ro.color = o.color == "always" ||
             (o.color == "auto" && sink.to_stdout() && AutoColor(isatty(STDOUT_FILENO) != 0));
  scanner::WriteReport(*format, result, engine->rules(), ro, sink.out());
  if (auto st = sink.Commit(); !st.ok()) return Fail(st.message());
  if (!o.write_baseline.empty()) {
    if (auto st = baseline_out.Write(result.findings, o.baseline_reason); !st.ok()) {
      return Fail(st.message());
    }
  }
  for (const auto& d : result.diagnostics) {
    if (d.level == scanner::DiagnosticLevel::kError) {
      std::fprintf(stderr, "%s: error: %s: %s\n", p, d.location.c_str(), d.message.c_str());
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
      std::fprintf(stderr, "%s: %s\n", p, SummaryLine(result, failing, o.output).c_str());
      for (const std::string& line :
           {scanner::BaselineSentence(result), scanner::CoverageSentence(result)}) {
        if (!line.empty()) std::fprintf(stderr, "%s: %s\n", p, line.c_str());
      }
    }
    if (!coverage.complete && o.allow_incomplete) {
      std::fprintf(stderr, "%s: --allow-incomplete: exit code not affected\n", p);
    }
  }
  if (failing > 0) return kExitFindings;
  if (result.input_error) return kExitError;
  if (!coverage.complete && !o.allow_incomplete) return kExitIncomplete;
  return kExitClean;
}

CLI::App* AddScanSubcommand(CLI::App& app, ScanCommandOptions& opts) {
  CLI::App* cmd =
      app.add_subcommand("scan", "Scan files, directories, archives or stdin (-) for secrets");
  cmd->add_option("paths", opts.paths, "Files, directories, or - for stdin");
  cmd->add_option("--inputs-from", opts.inputs_from,
                  "Also scan the paths listed in FILE, one per line ('-': stdin; blank lines and "
                  "lines starting with # skipped)");
  cmd->add_option("--shard", opts.shard,
                  "Scan only share K of N (K/N, K 0-based like $JOB_COMPLETION_INDEX): the N "
                  "shares are disjoint and together scan everything");
  AddScanFlags(cmd, opts);
  OneValuePerOccurrence(cmd);
  return cmd;
}

void SetupScanCommand(CLI::App& app, int& exit_code) {
  // The callback owns the options the flags write into (CLI11 keeps the callback as long
  // as the app).
  auto opts = std::make_shared<ScanCommandOptions>();
  CLI::App* cmd = AddScanSubcommand(app, *opts);
  cmd->callback([cmd, opts, &exit_code] {
    exit_code = ApplyConfigOrReport(*cmd, opts->config, ConfigRootFor(opts->paths));
    if (exit_code != kExitClean) return;
    if (std::string bad = AddScanInputs(opts->inputs_from, opts->shard, *opts); !bad.empty()) {
      std::fprintf(stderr, "leakproof scan: %s\n", bad.c_str());
      exit_code = kExitError;
      return;
    }
    exit_code = RunScanCommand(
        "scan", *opts,
        [](const scanner::Engine& engine, const scanner::ScanOptions& so,
           const scanner::ScanObserver& observer) {
          return scanner::Result<scanner::ScanResult>(scanner::Scan(engine, so, observer));
        });
  });
}

void OneValuePerOccurrence(CLI::App* cmd) {
  for (CLI::Option* option : cmd->get_options()) {
    if (option->nonpositional() && option->get_items_expected_max() > 1) {
      option->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    }
  }
}

void AddScanFlags(CLI::App* cmd, ScanCommandOptions& o) {
  ScanCommandOptions* opts = &o;
  cmd->add_option("-f,--format", opts->format, "text, json, jsonl, sarif, junit or html")
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
                  "Exit 1 for findings at or above: secret (default), conditional, any, none, a "
                  "severity (low, medium, high, critical), or live (with --verify)")
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
  AddVerifyFlags(cmd, opts->verify);
}

}  // namespace leakproof::cli
