// `leakproof bff`: move shipped credentials server-side. Scans PATHs (or reads a saved
// JSON report with --from-report), then writes one route per secret credential for each
// --target, plus MIGRATION.md and .env.example, under --out.
//
// The generator (leakproof/proxy/bff/generator.h) never sees a secret value: findings
// are reduced to names, places and URLs first. As a second guard, files from a live scan
// are checked against the scanned secrets before anything is written.
#include "leakproof/proxy/bff/credential.h"
#include "leakproof/proxy/bff/generator.h"
#include "leakproof/proxy/bff/writer.h"
#include "leakproof/scanner/report.h"
#include "leakproof/scanner/scanner.h"

#include "command.h"
#include "engine_setup.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

namespace leakproof::cli {
namespace {

struct BffCommandOptions {
  std::vector<std::string> paths;
  std::string from_report;
  std::string targets = "all";
  std::string out;
  bool force = false;
  std::size_t max_body_bytes = 1 << 20;
  int rate_limit = 60;
  int upstream_timeout_ms = 30000;
  RuleOptions rules;
};

constexpr std::uintmax_t kMaxSourceBytes = 64u << 20;

std::optional<std::string> ReadSmallFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec) ||
      std::filesystem::file_size(path, ec) > kMaxSourceBytes || ec) {
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The original source `member` inside the source map at `map_path` (its sourcesContent
// entry whose `sources` path ends with the member name the scanner reported).
std::optional<std::string> SourceInMap(const std::string& map_text, const std::string& member) {
  nlohmann::json map = nlohmann::json::parse(map_text, nullptr, /*allow_exceptions=*/false);
  if (!map.is_object() || !map.contains("sources") || !map.contains("sourcesContent"))
    return std::nullopt;
  const auto& sources = map["sources"];
  const auto& contents = map["sourcesContent"];
  if (!sources.is_array() || !contents.is_array()) return std::nullopt;
  for (std::size_t i = 0; i < sources.size() && i < contents.size(); ++i) {
    if (!sources[i].is_string() || !contents[i].is_string()) continue;
    const std::string src = sources[i].get<std::string>();
    if (src.size() >= member.size() &&
        src.compare(src.size() - member.size(), member.size(), member) == 0) {
      return contents[i].get<std::string>();
    }
  }
  return std::nullopt;
}

// Full texts for call-site reading: plain files and sources inside a source map on disk.
// Archive members (APK, IPA) are not re-extracted: their findings keep the snippet only.
proxy::bff::SourceLookup FileSourceLookup() {
  auto cache = std::make_shared<std::map<std::string, std::optional<std::string>>>();
  return [cache](const scanner::Location& loc) -> std::optional<std::string> {
    if (loc.provenance.empty() || loc.provenance.size() > 2) return std::nullopt;
    const std::string& file = loc.provenance[0];
    auto it = cache->find(file);
    if (it == cache->end()) it = cache->emplace(file, ReadSmallFile(file)).first;
    if (!it->second) return std::nullopt;
    if (loc.provenance.size() == 1) return it->second;
    return SourceInMap(*it->second, loc.provenance[1]);
  };
}

scanner::Result<scanner::RuleSet> LoadRulesOnly(const RuleOptions& opts) {
  scanner::RuleSet rules;
  if (!opts.no_builtin) {
    auto builtin = scanner::LoadBuiltinRules();
    if (!builtin.ok()) return builtin.status();
    rules = std::move(builtin).value();
  }
  for (const std::string& f : opts.rule_files) {
    scanner::Status s = rules.AddFile(f);
    if (!s.ok() && s.code() != scanner::StatusCode::kUnsupported) return s;
  }
  return rules;
}

int Run(const BffCommandOptions& opts) {
  auto targets = proxy::bff::ParseTargets(opts.targets);
  if (!targets.ok()) {
    std::fprintf(stderr, "leakproof bff: error: %s\n", targets.status().message().c_str());
    return 2;
  }
  if (opts.paths.empty() == opts.from_report.empty()) {
    std::fprintf(stderr,
                 "leakproof bff: error: give either PATH... to scan or --from-report FILE\n");
    return 2;
  }
  proxy::bff::BffOptions bff;
  bff.targets = *targets;
  bff.max_body_bytes = opts.max_body_bytes;
  bff.rate_limit_per_minute = opts.rate_limit;
  bff.upstream_timeout_ms = opts.upstream_timeout_ms;

  std::vector<proxy::bff::CredentialInput> credentials;
  std::vector<std::string> secrets;  // only for the final no-leak check
  scanner::Result<proxy::bff::GeneratedTree> tree =
      scanner::Status::InvalidArgument("not generated");
  if (!opts.from_report.empty()) {
    std::ifstream in(opts.from_report, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "leakproof bff: error: cannot read %s\n", opts.from_report.c_str());
      return 2;
    }
    std::stringstream text;
    text << in.rdbuf();
    auto creds = proxy::bff::CredentialsFromReport(text.str());
    if (!creds.ok()) {
      std::fprintf(stderr, "leakproof bff: error: %s: %s\n", opts.from_report.c_str(),
                   creds.status().message().c_str());
      return 2;
    }
    auto rules = LoadRulesOnly(opts.rules);
    if (!rules.ok()) {
      std::fprintf(stderr, "leakproof bff: error: rules: %s\n", rules.status().message().c_str());
      return 2;
    }
    credentials = std::move(*creds);
    tree = proxy::bff::GenerateBff(credentials, *rules, bff);
  } else {
    auto engine = BuildEngine(opts.rules);
    if (engine == nullptr) return 2;
    scanner::ScanOptions scan;
    scan.paths = opts.paths;
    scanner::ScanResult result = scanner::Scan(*engine, scan);
    for (const auto& d : result.diagnostics) {
      if (d.level != scanner::DiagnosticLevel::kInfo) {
        std::fprintf(stderr, "leakproof bff: %s: %s: %s\n", scanner::DiagnosticLevelName(d.level),
                     d.location.c_str(), d.message.c_str());
      }
    }
    if (result.input_error) return 2;
    // Same definition as `scan`: routes may be missing for keys in what was not scanned.
    if (const std::string incomplete = scanner::CoverageSentence(result); !incomplete.empty()) {
      std::fprintf(stderr, "leakproof bff: warning: %s\n", incomplete.c_str());
    }
    for (const auto& f : result.findings) {
      // Publishable identifiers (an Algolia app ID, a Supabase project ref inside the anon
      // key's host) may legitimately appear in the output; every other value may not.
      if (f.rule != nullptr && f.rule->rule_class != scanner::RuleClass::kPublishable)
        secrets.push_back(f.secret);
    }
    credentials = proxy::bff::CredentialsFromFindings(result.findings, FileSourceLookup());
    tree = proxy::bff::GenerateBff(credentials, engine->rules(), bff);
  }
  if (!tree.ok()) {
    std::fprintf(stderr, "leakproof bff: error: %s\n", tree.status().message().c_str());
    return 2;
  }
  if (scanner::Status s = proxy::bff::CheckNoSecrets(*tree, secrets); !s.ok()) {
    std::fprintf(stderr, "leakproof bff: error: %s\n", s.message().c_str());
    return 2;
  }
  if (scanner::Status s = proxy::bff::WriteTree(*tree, opts.out, opts.force); !s.ok()) {
    std::fprintf(stderr, "leakproof bff: error: %s\n", s.message().c_str());
    return 2;
  }
  std::fprintf(stderr,
               "leakproof bff: %zu finding(s) -> %zu file(s) in %s; start with %s/MIGRATION.md\n",
               credentials.size(), tree->size(), opts.out.c_str(), opts.out.c_str());
  return 0;
}

}  // namespace

void SetupBffCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<BffCommandOptions>();
  auto* cmd = app.add_subcommand("bff",
                                 "Generate server-side routes (Backend-for-Frontend) for the "
                                 "secrets found, and a migration guide");
  cmd->add_option("paths", opts->paths, "Files or directories to scan (or use --from-report)");
  cmd->add_option("--from-report", opts->from_report,
                  "Generate from a saved `leakproof scan --format json` report")
      ->check(CLI::ExistingFile);
  cmd->add_option("--target", opts->targets,
                  "Comma-separated: nextjs,express,cloudflare,lambda,firebase,nuxt,sveltekit,hono,"
                  "supabase,proxy or all")
      ->capture_default_str();
  cmd->add_option("--out", opts->out, "Output directory (created if missing)")->required();
  cmd->add_flag("--force", opts->force, "Overwrite files that already exist in --out");
  cmd->add_option("--max-body-bytes", opts->max_body_bytes,
                  "Request body limit of the routes (413 above)")
      ->capture_default_str();
  cmd->add_option("--rate-limit", opts->rate_limit,
                  "Requests per minute per session (429 above; 0 = none)")
      ->capture_default_str();
  cmd->add_option("--upstream-timeout-ms", opts->upstream_timeout_ms,
                  "Connect + response head from the provider, else 504")
      ->check(CLI::Range(100, 600000))
      ->capture_default_str();
  AddRuleFlags(cmd, opts->rules);
  cmd->callback([opts, &exit_code] { exit_code = Run(*opts); });
}

}  // namespace leakproof::cli
