// Rule loading and engine construction for the subcommands.
#include "engine_setup.h"

#include <cstdio>

namespace leakproof::cli {

void AddRuleFlags(CLI::App* cmd, RuleOptions& opts) {
  cmd->add_option("--rules", opts.rule_files, "Add rules from a TOML file (rules/README.md schema)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--config", opts.gitleaks_files,
                  "Import rules from a gitleaks TOML configuration")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--no-builtin-rules", opts.no_builtin,
                "Use only rules given with --rules/--config");
  cmd->add_option(
      "--cache-dir", opts.cache_dir,
      "Where compiled rule databases are cached (default ~/.cache/leakproof; '-' disables)");
}

std::unique_ptr<scanner::Engine> BuildEngine(const RuleOptions& opts) {
  scanner::RuleSet rules;
  if (!opts.no_builtin) {
    auto builtin = scanner::LoadBuiltinRules();
    if (!builtin.ok()) {
      std::fprintf(stderr, "leakproof: error: built-in rules: %s\n",
                   builtin.status().message().c_str());
      return nullptr;
    }
    rules = std::move(builtin).value();
  }
  for (const std::string& f : opts.rule_files) {
    scanner::Status s = rules.AddFile(f);
    if (s.code() == scanner::StatusCode::kUnsupported) {
      std::fprintf(stderr, "leakproof: warning: %s\n", s.message().c_str());
    } else if (!s.ok()) {
      std::fprintf(stderr, "leakproof: error: %s\n", s.message().c_str());
      return nullptr;
    }
  }
  for (const std::string& f : opts.gitleaks_files) {
    std::FILE* fp = std::fopen(f.c_str(), "rb");
    if (fp == nullptr) {
      std::fprintf(stderr, "leakproof: error: cannot read %s\n", f.c_str());
      return nullptr;
    }
    std::string text;
    char buf[8192];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, fp)) > 0) text.append(buf, n);
    std::fclose(fp);
    scanner::Status s = rules.AddGitleaksToml(text, f);
    if (s.code() == scanner::StatusCode::kUnsupported) {
      std::fprintf(stderr, "leakproof: warning: %s\n", s.message().c_str());
    } else if (!s.ok()) {
      std::fprintf(stderr, "leakproof: error: %s\n", s.message().c_str());
      return nullptr;
    }
  }
  if (rules.rules().empty()) {
    std::fprintf(stderr, "leakproof: error: no rules to scan with\n");
    return nullptr;
  }
  scanner::EngineOptions eo;
  eo.cache_dir = opts.cache_dir;
  auto engine = scanner::Engine::Create(std::move(rules), eo);
  if (!engine.ok()) {
    std::fprintf(stderr, "leakproof: error: %s\n", engine.status().message().c_str());
    return nullptr;
  }
  for (const auto& p : (*engine)->problems()) {
    if (p.prefilter) continue;  // exact enough: RE2 confirms every prefilter hit
    std::fprintf(stderr,
                 "leakproof: note: rule '%s' is not supported by Hyperscan (%s); RE2 scans whole "
                 "inputs for it (slower)\n",
                 p.rule_id.c_str(), p.message.c_str());
  }
  return std::move(engine).value();
}

}  // namespace leakproof::cli
