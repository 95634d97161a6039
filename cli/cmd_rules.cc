// `leakproof rules list|check`: inspect and validate the rule pack (built-in + user).
#include "leakproof/scanner/rules_check.h"

#include "command.h"
#include "engine_setup.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <set>

namespace leakproof::cli {
namespace {

struct RulesCommandOptions {
  std::string format = "text";
  bool warnings_as_errors = false;
  RuleOptions rules;
};

nlohmann::json RuleJson(const scanner::Rule& r, const scanner::RuleSet& set) {
  const scanner::ProviderFacts f = set.EffectiveFacts(r);
  nlohmann::json facts = {{"id", f.id},
                          {"name", f.name},
                          {"base_url", f.base_url},
                          {"auth", f.auth},
                          {"basic_role", f.basic_role},
                          {"basic_username", f.basic_username},
                          {"auth_prefix", f.auth_prefix},
                          {"env_var", f.env_var},
                          {"extra_headers", f.extra_headers},
                          {"rotate_url", f.rotate_url},
                          {"docs_url", f.docs_url}};
  if (!f.liveness_path.empty())
    facts["liveness"] = {{"method", f.liveness_method}, {"path", f.liveness_path}};
  return {{"id", r.id},
          {"name", r.name},
          {"provider", r.provider},
          {"class", scanner::RuleClassName(r.rule_class)},
          {"severity", scanner::SeverityName(r.severity)},
          {"regex", r.regex},
          {"secret_group", r.secret_group},
          {"keywords", r.keywords},
          {"min_entropy", r.min_entropy},
          {"min_digits", r.min_digits},
          {"fallback", r.fallback},
          {"examples", r.examples},
          {"negative_examples", r.negative_examples},
          {"advice", r.advice},
          {"decides", r.decides},
          {"pair", r.pair},
          {"source", r.source_file + ":" + std::to_string(r.source_line)},
          {"provider_facts", facts}};
}

int RunList(const RulesCommandOptions& o) {
  auto engine = BuildEngine(o.rules);
  if (!engine) return 2;
  const auto& set = engine->rules();
  if (o.format == "json") {
    nlohmann::json j;
    std::set<std::string> providers;
    j["rules"] = nlohmann::json::array();
    for (const auto& r : set.rules()) {
      providers.insert(r.provider);
      j["rules"].push_back(RuleJson(r, set));
    }
    j["count"] = set.rules().size();
    j["providers"] = providers.size();
    std::cout << j.dump(2) << '\n';
    return 0;
  }
  for (const auto& r : set.rules()) {
    std::printf("%-40s %-12s %-9s %s\n", r.id.c_str(), scanner::RuleClassName(r.rule_class),
                scanner::SeverityName(r.severity), r.name.c_str());
  }
  std::printf("%zu rules from %zu providers\n", set.rules().size(), set.providers().size());
  return 0;
}

int RunCheck(const RulesCommandOptions& o) {
  auto engine = BuildEngine(o.rules);
  if (!engine) return 2;
  const scanner::RuleCheckReport report = scanner::CheckRules(*engine);
  for (const auto& i : report.issues) {
    std::printf("%s: %s: %s: %s\n", i.where.c_str(), i.error ? "error" : "warning",
                i.rule_id.c_str(), i.message.c_str());
  }
  std::printf(
      "%zu rules, %zu providers, %zu examples, %zu negative examples: %zu errors, %zu warnings\n",
      report.rules, report.providers, report.examples, report.negative_examples, report.errors(),
      report.warnings());
  const bool failed = report.errors() > 0 || (o.warnings_as_errors && report.warnings() > 0);
  return failed ? 1 : 0;
}

}  // namespace

void SetupRulesCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<RulesCommandOptions>();
  CLI::App* cmd = app.add_subcommand("rules", "List or check the detection rules");
  cmd->require_subcommand(1);
  CLI::App* list = cmd->add_subcommand("list", "List rules");
  list->add_option("-f,--format", opts->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  AddRuleFlags(list, opts->rules);
  list->callback([opts, &exit_code] { exit_code = RunList(*opts); });
  CLI::App* check = cmd->add_subcommand("check", "Validate every rule against its examples");
  check->add_flag("--warnings-as-errors", opts->warnings_as_errors, "Fail on warnings too");
  AddRuleFlags(check, opts->rules);
  check->callback([opts, &exit_code] { exit_code = RunCheck(*opts); });
}

}  // namespace leakproof::cli
