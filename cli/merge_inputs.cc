// ReadScanReport(): every report format a scan writes that carries findings, back into the
// JSON report's finding objects. SARIF results carry no secret_hash (by design, see
// docs/report-format.md); their fingerprint stands in for it when merging.
#include "merge_inputs.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace leakproof::cli {
namespace {

using nlohmann::json;

scanner::Status Invalid(const std::string& path, const std::string& what) {
  return scanner::Status::InvalidArgument("'" + path + "': " + what);
}

std::string StringAt(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// What a merge relies on in a finding: an object with a rule and a path, and the fields
// it reads of the types a scan writes (a hand-edited or foreign file fails here, naming
// the finding, instead of deep inside the merge).
scanner::Status CheckFinding(const std::string& path, const json& f, std::size_t index) {
  const std::string which = "finding " + std::to_string(index);
  const bool ok = f.is_object() && f.contains("rule_id") && f["rule_id"].is_string() &&
                  f.contains("location") && f["location"].is_object() &&
                  f["location"].contains("path") && f["location"]["path"].is_string();
  if (!ok) return Invalid(path, which + " has no rule_id or location.path: not a leakproof report");
  for (const char* key : {"class", "severity", "provider", "provider_name", "secret", "secret_hash",
                          "fingerprint", "snippet", "advice", "rotate_url"}) {
    if (f.contains(key) && !f[key].is_string()) {
      return Invalid(path, which + ": \"" + key + "\" is not a string");
    }
  }
  for (const char* key : {"line", "column", "offset"}) {
    const json& v = f["location"].contains(key) ? f["location"][key] : json(0);
    if (!v.is_number_integer() || v.get<std::int64_t>() < 0) {
      return Invalid(path, which + ": location." + key + " is not a number");
    }
  }
  if (f.contains("scan") && !f["scan"].is_object()) {
    return Invalid(path, which + ": \"scan\" is not an object");
  }
  return scanner::Status::Ok();
}

void ReadCoverage(const json& j, ScanReport& r) {
  if (auto c = j.find("complete"); c != j.end() && c->is_boolean()) {
    r.complete_known = true;
    r.complete = c->get<bool>();
  }
  if (auto inc = j.find("incomplete"); inc != j.end() && inc->is_object()) {
    if (auto reasons = inc->find("reasons"); reasons != inc->end() && reasons->is_object()) {
      r.reasons = *reasons;
    }
  }
}

void ReadApp(const json& doc, ScanReport& r) {
  auto app = doc.find("app");
  if (app == doc.end() || !app->is_object()) return;
  r.app = StringAt(*app, "name");
  r.app_version = StringAt(*app, "version");
}

scanner::Result<ScanReport> FromJsonDocument(const std::string& path, const json& doc) {
  ScanReport r;
  r.format = "json";
  if (!doc.contains("findings") || !doc["findings"].is_array()) {
    return Invalid(path, "a JSON object without a \"findings\" array: not a leakproof report");
  }
  for (std::size_t i = 0; i < doc["findings"].size(); ++i) {
    if (auto st = CheckFinding(path, doc["findings"][i], i); !st.ok()) return st;
  }
  r.findings = doc["findings"];
  if (doc.contains("diagnostics") && doc["diagnostics"].is_array()) {
    for (const json& d : doc["diagnostics"]) {
      if (!d.is_object()) return Invalid(path, "a diagnostic is not an object");
    }
    r.diagnostics = doc["diagnostics"];
  }
  if (doc.contains("stats") && doc["stats"].is_object()) r.stats = doc["stats"];
  ReadCoverage(doc, r);
  r.secret_hash_key = StringAt(doc, "secret_hash_key");
  ReadApp(doc, r);
  return r;
}

scanner::Result<ScanReport> FromJsonl(const std::string& path, const std::string& text) {
  ScanReport r;
  r.format = "jsonl";
  std::istringstream in(text);
  std::size_t line_no = 0;
  bool summary = false;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = "line " + std::to_string(line_no);
    if (summary) return Invalid(path, where + " follows the summary line");
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      return Invalid(path, where + " is not a JSON object (truncated or not JSONL)");
    }
    const std::string type = StringAt(j, "type");
    j.erase("type");
    if (type == "finding") {
      if (auto st = CheckFinding(path, j, r.findings.size()); !st.ok()) return st;
      r.findings.push_back(std::move(j));
    } else if (type == "diagnostic") {
      r.diagnostics.push_back(std::move(j));
    } else if (type == "summary") {
      summary = true;
      ReadCoverage(j, r);
      r.secret_hash_key = StringAt(j, "secret_hash_key");
      ReadApp(j, r);
      j.erase("complete");
      j.erase("incomplete");
      j.erase("secret_hash_key");
      j.erase("baseline");
      j.erase("app");
      r.stats = std::move(j);
    } else {
      return Invalid(
          path, where + " has type \"" + type + "\" (expected finding, diagnostic or summary)");
    }
  }
  if (!summary) {
    return Invalid(path,
                   "no summary line at the end: the JSONL report is truncated (or the scan "
                   "did not finish)");
  }
  return r;
}

// GitHub's security-severity bands back to leakproof severities (sarif_report.cc).
std::string SeverityFromScore(const std::string& score) {
  const double s = score.empty() ? 5.5 : std::strtod(score.c_str(), nullptr);
  if (s >= 9.0) return "critical";
  if (s >= 7.0) return "high";
  if (s >= 4.0) return "medium";
  if (s >= 2.0) return "low";
  return "info";
}

json SarifFinding(const json& result, const json& rule) {
  json loc = json::object();
  loc["path"] = "";
  loc["line"] = 0;
  loc["column"] = 0;
  if (auto locs = result.find("locations");
      locs != result.end() && locs->is_array() && !locs->empty() && (*locs)[0].is_object()) {
    const json& l = (*locs)[0];
    if (l.contains("logicalLocations") && l["logicalLocations"].is_array() &&
        !l["logicalLocations"].empty()) {
      const json& logical = l["logicalLocations"][0];
      loc["path"] = StringAt(logical, "fullyQualifiedName");
      if (logical.contains("properties") && logical["properties"].is_object()) {
        loc["line"] = logical["properties"].value("line", 0);
        loc["column"] = logical["properties"].value("column", 0);
        loc["detail"] = logical["properties"].value("detail", "");
      }
    }
    if (l.contains("physicalLocation") && l["physicalLocation"].is_object()) {
      const json& phys = l["physicalLocation"];
      if (loc["path"] == "" && phys.contains("artifactLocation")) {
        loc["path"] = StringAt(phys["artifactLocation"], "uri");
      }
      if (phys.contains("region") && phys["region"].is_object()) {
        loc["line"] = phys["region"].value("startLine", 0);
        loc["column"] = phys["region"].value("startColumn", 0);
      }
    }
  }
  const json props = result.value("properties", json::object());
  const json rule_props = rule.value("properties", json::object());
  json f = {
      {"rule_id", StringAt(result, "ruleId")},
      {"rule_name", StringAt(rule, "name")},
      {"provider", props.value("provider", "")},
      {"class", props.value("class", "")},
      {"severity", SeverityFromScore(rule_props.value("security-severity", ""))},
      {"location", loc},
      {"fingerprint", ""},
      {"snippet", result.contains("message") ? StringAt(result["message"], "text") : ""},
      {"advice", rule.contains("help") ? StringAt(rule["help"], "text") : ""},
  };
  // The message is "<rule name> <redacted secret> in <where>..." (sarif_report.cc).
  const std::string message = f["snippet"];
  const std::string name = f["rule_name"];
  if (!name.empty() && message.compare(0, name.size() + 1, name + " ") == 0) {
    const std::size_t end = message.find(" in ", name.size() + 1);
    if (end != std::string::npos) {
      f["secret"] = message.substr(name.size() + 1, end - name.size() - 1);
    }
  }
  if (auto fp = result.find("partialFingerprints"); fp != result.end() && fp->is_object()) {
    f["fingerprint"] = fp->value("leakproofLocation/v2", "");
  }
  return f;
}

scanner::Result<ScanReport> FromSarif(const std::string& path, const json& doc) {
  ScanReport r;
  r.format = "sarif";
  if (!doc["runs"].is_array()) return Invalid(path, "SARIF without a runs array");
  for (const json& run : doc["runs"]) {
    if (!run.is_object()) return Invalid(path, "a SARIF run is not an object");
    json rules = json::array();
    if (run.contains("tool") && run["tool"].contains("driver") &&
        run["tool"]["driver"].contains("rules")) {
      rules = run["tool"]["driver"]["rules"];
    }
    const json results = run.value("results", json::array());
    if (!results.is_array()) return Invalid(path, "SARIF results is not an array");
    for (const json& res : results) {
      if (!res.is_object() || !res.contains("ruleId")) {
        return Invalid(path, "a SARIF result without a ruleId");
      }
      json rule = json::object();
      if (auto idx = res.find("ruleIndex");
          idx != res.end() && idx->is_number_unsigned() && idx->get<std::size_t>() < rules.size()) {
        rule = rules[idx->get<std::size_t>()];
      }
      json f = SarifFinding(res, rule);
      if (auto st = CheckFinding(path, f, r.findings.size()); !st.ok()) return st;
      r.findings.push_back(std::move(f));
    }
    if (run.contains("properties") && run["properties"].is_object()) {
      ReadCoverage(run["properties"], r);
    }
    if (run.contains("invocations") && run["invocations"].is_array()) {
      for (const json& inv : run["invocations"]) {
        for (const json& n : inv.value("toolExecutionNotifications", json::array())) {
          r.diagnostics.push_back(
              {{"level", n.value("level", "warning") == "note" ? "info" : n.value("level", "")},
               {"code", n.contains("descriptor") ? StringAt(n["descriptor"], "id") : ""},
               {"location", ""},
               {"message", n.contains("message") ? StringAt(n["message"], "text") : ""},
               {"count", 1}});
        }
      }
    }
  }
  r.stats = {{"findings", r.findings.size()}};
  return r;
}

// "dist/app.apk" -> "app"; "report.jsonl" -> "report".
std::string Stem(const std::string& path) {
  std::string base =
      path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  if (auto dot = base.find_last_of('.'); dot != std::string::npos && dot > 0) base.resize(dot);
  return base;
}

}  // namespace

scanner::Result<ScanReport> ReadScanReport(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return scanner::Status::IOError("cannot read '" + path + "': " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Invalid(path, "empty file: not a scan report");
  }
  // JSONL if the first line is a whole object with a "type"; otherwise one JSON value.
  const std::string first = text.substr(0, text.find('\n'));
  const json first_line = json::parse(first, nullptr, false);
  scanner::Result<ScanReport> r = Invalid(path, "unreachable");
  if (!first_line.is_discarded() && first_line.is_object() && first_line.contains("type")) {
    r = FromJsonl(path, text);
  } else {
    json doc;
    try {
      doc = json::parse(text);
    } catch (const json::parse_error& e) {
      return Invalid(path, std::string("not valid JSON (truncated?): ") + e.what());
    }
    if (!doc.is_object()) return Invalid(path, "not a JSON object: not a scan report");
    if (doc.contains("runs") && StringAt(doc, "version") == "2.1.0") {
      try {
        r = FromSarif(path, doc);
      } catch (const json::exception& e) {  // a field of an unexpected type
        return Invalid(path, std::string("not a SARIF file leakproof can read: ") + e.what());
      }
    } else {
      r = FromJsonDocument(path, doc);
    }
  }
  if (!r.ok()) return r;
  r->input = path;
  if (r->app.empty()) r->app = Stem(path);
  return r;
}

}  // namespace leakproof::cli
