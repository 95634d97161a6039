// MergedSarif(): see merge_sarif.h. Levels and security-severity follow
// scanner/src/report/sarif_report.cc, so a merged upload ranks alerts like a single scan's.
#include "merge_sarif.h"

#include <map>
#include <string>

namespace leakproof::cli {
namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string Level(const std::string& cls, const std::string& severity) {
  if (cls == "publishable") return "note";
  if (cls == "conditional") return "warning";
  return severity == "critical" || severity == "high" ? "error" : "warning";
}

std::string SecuritySeverity(const std::string& severity) {
  static const std::map<std::string, std::string> kScore = {
      {"critical", "9.5"}, {"high", "8.0"}, {"medium", "5.5"}, {"low", "3.0"}, {"info", "1.0"}};
  auto it = kScore.find(severity);
  return it == kScore.end() ? "5.5" : it->second;
}

json Location(const json& f) {
  const json& loc = f["location"];
  const std::string path = Str(loc, "path");
  const json chain = loc.value("provenance", json::array());
  const std::string name = chain.is_array() && !chain.empty() && chain.back().is_string()
                               ? chain.back().get<std::string>()
                               : path;
  // Logical only: merged scans come from many machines and folders, so there is no one
  // source root a physical artifact URI could be relative to.
  json out = {{"logicalLocations",
               json::array({{{"fullyQualifiedName", path}, {"name", name}, {"kind", "member"}}})}};
  return out;
}

}  // namespace

json MergedSarif(const json& merged) {
  std::map<std::string, std::size_t> rule_index;
  json rules = json::array();
  json results = json::array();
  for (const json& f : merged["findings"]) {
    const std::string id = Str(f, "rule_id");
    const std::string cls = Str(f, "class");
    const std::string severity = Str(f, "severity");
    if (rule_index.count(id) == 0) {
      rule_index[id] = rules.size();
      const std::string name = Str(f, "rule_name").empty() ? id : Str(f, "rule_name");
      std::string help =
          Str(f, "advice").empty() ? "Remove the credential from the artifact." : Str(f, "advice");
      rules.push_back({{"id", id},
                       {"name", name},
                       {"shortDescription", {{"text", name}}},
                       {"help", {{"text", help}}},
                       {"defaultConfiguration", {{"level", Level(cls, severity)}}},
                       {"properties",
                        {{"tags", json::array({"security", "secret"})},
                         {"security-severity", SecuritySeverity(severity)}}}});
    }
    const json& scan = f["scan"];
    json result = {
        {"ruleId", id},
        {"ruleIndex", rule_index[id]},
        {"level", Level(cls, severity)},
        {"message",
         {{"text", Str(f, "rule_name") + " " + Str(f, "secret") + " in " +
                       Str(f["location"], "path") + " (" + Str(scan, "app") + ", from " +
                       Str(scan, "input") + ")"}}},
        {"locations", json::array({Location(f)})},
        {"properties",
         {{"class", cls},
          {"provider", Str(f, "provider")},
          {"app", Str(scan, "app")},
          {"scan", Str(scan, "input")},
          {"apps", f.value("apps", 1)}}},
    };
    if (!Str(f, "fingerprint").empty()) {
      result["partialFingerprints"] = {{"leakproofLocation/v2", Str(f, "fingerprint")}};
    }
    results.push_back(std::move(result));
  }
  json notes = json::array();
  for (const json& d : merged["diagnostics"]) {
    const std::string level = Str(d, "level") == "info" ? "note" : Str(d, "level");
    notes.push_back(
        {{"level", level == "error" || level == "note" ? level : "warning"},
         {"message",
          {{"text", Str(d, "scan") + ": " + Str(d, "location") + ": " + Str(d, "message")}}}});
  }
  const bool complete = merged.value("complete", true);
  json run = {
      {"tool", {{"driver", {{"name", "leakproof"}, {"version", "0.1.0"}, {"rules", rules}}}}},
      {"results", results},
      {"invocations",
       json::array({{{"executionSuccessful", complete}, {"toolExecutionNotifications", notes}}})},
      {"properties",
       {{"complete", complete},
        {"incomplete", merged.value("incomplete", json::object())},
        {"merged_scans", merged["scans"].size()}}},
  };
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", json::array({std::move(run)})}};
}

}  // namespace leakproof::cli
