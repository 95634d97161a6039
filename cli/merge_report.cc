// MergeReports() and the merged document's jsonl/text writers; see merge_report.h.
#include "merge_report.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace leakproof::cli {
namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Package formats whose file is one app: in a report over a folder of them, each such
// artifact is its own app (named by its file stem).
bool IsAppPackage(const std::string& artifact) {
  static const char* const kExts[] = {".apk", ".aab",  ".apks", ".xapk", ".ipa", ".crx",
                                      ".xpi", ".asar", ".appx", ".msix", ".jar", ".aar"};
  std::string lower = artifact;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* ext : kExts) {
    const std::string e(ext);
    if (lower.size() > e.size() && lower.compare(lower.size() - e.size(), e.size(), e) == 0) {
      return true;
    }
  }
  return false;
}

std::string Stem(const std::string& path) {
  std::string base =
      path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  if (auto dot = base.find_last_of('.'); dot != std::string::npos && dot > 0) base.resize(dot);
  return base;
}

// The app a finding belongs to: its tag from an earlier merge; the report's recorded app;
// else an app package named by the finding's outermost path; else the report's default
// (ReadScanReport).
std::pair<std::string, std::string> FindingApp(const ScanReport& r, const json& f) {
  // A finding of an earlier merge keeps the app it was tagged with (merges of merges).
  if (f.contains("scan") && !Str(f["scan"], "app").empty()) {
    return {Str(f["scan"], "app"), Str(f["scan"], "version")};
  }
  if (!r.app_version.empty()) return {r.app, r.app_version};
  const std::string path = f["location"]["path"].get<std::string>();
  const std::string artifact = path.substr(0, path.find('!'));
  if (IsAppPackage(artifact)) return {Stem(artifact), ""};
  return {r.app, ""};
}

// The secret's identity across reports: secret_hash, or (SARIF) the place's fingerprint.
std::string SecretKey(const json& f) {
  const std::string hash = Str(f, "secret_hash");
  if (!hash.empty()) return "secret_hash:" + hash;
  const std::string fp = Str(f, "fingerprint");
  if (!fp.empty()) return "fingerprint:" + fp;
  return "";
}

void AddCounts(json& into, const json& from) {
  for (auto it = from.begin(); it != from.end(); ++it) {
    if (!it.value().is_number()) continue;
    if (!into.contains(it.key())) into[it.key()] = 0;
    if (it.value().is_number_integer() && into[it.key()].is_number_integer()) {
      into[it.key()] = into[it.key()].get<std::int64_t>() + it.value().get<std::int64_t>();
    } else {
      into[it.key()] = into[it.key()].get<double>() + it.value().get<double>();
    }
  }
}

}  // namespace

json MergeReports(const std::vector<ScanReport>& reports) {
  json doc;
  doc["version"] = 1;
  doc["tool"] = {{"name", "leakproof"}, {"version", "0.1.0"}, {"command", "merge"}};
  doc["scans"] = json::array();
  doc["findings"] = json::array();
  doc["diagnostics"] = json::array();
  json stats = json::object();
  json reasons = json::object();
  bool complete = true;
  json notes = json::array();
  std::vector<std::string> per_run_keys;
  std::set<std::string> key_sources;
  bool any_sarif = false;

  for (const ScanReport& r : reports) {
    json scan = {{"input", r.input},       {"format", r.format},
                 {"app", r.app},           {"findings", r.findings.size()},
                 {"complete", r.complete}, {"incomplete", {{"reasons", r.reasons}}},
                 {"stats", r.stats},       {"secret_hash_key", r.secret_hash_key}};
    if (!r.app_version.empty()) scan["version"] = r.app_version;
    if (!r.complete_known) scan["complete"] = nullptr;
    doc["scans"].push_back(scan);
    for (const json& f : r.findings) {
      json g = f;
      const auto [app, version] = FindingApp(r, f);
      g["scan"] = {{"input", r.input}, {"app", app}};
      if (!version.empty()) g["scan"]["version"] = version;
      doc["findings"].push_back(std::move(g));
    }
    for (const json& d : r.diagnostics) {
      json e = d;
      e["scan"] = r.input;
      doc["diagnostics"].push_back(std::move(e));
    }
    AddCounts(stats, r.stats);
    AddCounts(reasons, r.reasons);
    if (r.complete_known && !r.complete) complete = false;
    if (!r.complete_known) {
      notes.push_back("'" + r.input + "' does not say whether its scan was complete");
    }
    if (r.format == "sarif") any_sarif = true;
    if (r.secret_hash_key == "run") per_run_keys.push_back(r.input);
    if (!r.secret_hash_key.empty()) key_sources.insert(r.secret_hash_key);
  }

  // Same secret across apps: group by SecretKey, count apps and copies.
  struct Group {
    std::set<std::string> apps;
    std::size_t copies = 0;
    std::size_t first = 0;  // index of the first finding, for rule/provider/secret
  };
  std::map<std::string, Group> groups;
  json& findings = doc["findings"];
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const std::string key = SecretKey(findings[i]);
    if (key.empty()) continue;
    auto [it, fresh] = groups.try_emplace(key);
    if (fresh) it->second.first = i;
    const json& scan = findings[i]["scan"];
    it->second.apps.insert(Str(scan, "app") +
                           (scan.contains("version") ? " " + Str(scan, "version") : ""));
    ++it->second.copies;
  }
  json shared = json::array();
  for (const auto& [key, g] : groups) {
    if (g.copies < 2) continue;
    const json& f = findings[g.first];
    shared.push_back({{"key", key.substr(0, key.find(':'))},
                      {"value", key.substr(key.find(':') + 1)},
                      {"rule_id", Str(f, "rule_id")},
                      {"provider", Str(f, "provider")},
                      {"secret", Str(f, "secret")},
                      {"apps", g.apps},
                      {"app_count", g.apps.size()},
                      {"copies", g.copies}});
  }
  std::stable_sort(shared.begin(), shared.end(), [](const json& a, const json& b) {
    return std::make_pair(a["app_count"].get<std::size_t>(), a["copies"].get<std::size_t>()) >
           std::make_pair(b["app_count"].get<std::size_t>(), b["copies"].get<std::size_t>());
  });
  for (json& f : findings) {
    const std::string key = SecretKey(f);
    const auto it = groups.find(key);
    f["apps"] = it == groups.end() ? 1 : it->second.apps.size();
    f["copies"] = it == groups.end() ? 1 : it->second.copies;
  }

  // Totals per app, in first-seen order.
  json per_app = json::array();
  std::map<std::string, std::size_t> app_index;
  for (const json& f : findings) {
    const json& scan = f["scan"];
    const std::string id = Str(scan, "app") + '\0' + Str(scan, "version");
    auto [it, fresh] = app_index.try_emplace(id, per_app.size());
    if (fresh) {
      per_app.push_back({{"app", Str(scan, "app")},
                         {"version", Str(scan, "version")},
                         {"findings", 0},
                         {"by_class", json::object()},
                         {"by_severity", json::object()}});
    }
    json& a = per_app[it->second];
    a["findings"] = a["findings"].get<std::size_t>() + 1;
    for (const char* field : {"class", "severity"}) {
      json& bucket = a[std::string("by_") + field];
      const std::string v = Str(f, field);
      bucket[v] = bucket.value(v, 0) + 1;
    }
  }

  if (any_sarif) {
    notes.push_back(
        "SARIF inputs carry no secret_hash (by design): their findings are matched by location "
        "fingerprint, so the same key in two places of a SARIF input counts as two secrets");
  }
  if (per_run_keys.size() > 1 || key_sources.size() > 1) {
    notes.push_back(
        "the JSON/JSONL inputs did not all hash secrets with one shared key (secret_hash_key: "
        "run or different sources): the same secret in two of them is not recognised as one. "
        "Scan with the same LEAKPROOF_HASH_KEY everywhere to correlate across scans");
  }
  stats["findings"] = findings.size();
  doc["stats"] = stats;
  doc["complete"] = complete;
  doc["incomplete"] = {{"reasons", reasons}};
  doc["secret_hash_key"] = key_sources.size() == 1 ? *key_sources.begin() : "mixed";
  doc["per_app"] = per_app;
  doc["shared"] = shared;
  doc["notes"] = notes;
  return doc;
}

void WriteMergedJsonl(const json& doc, std::ostream& out) {
  const auto line = [&out](json j, const char* type) {
    j["type"] = type;
    out << j.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
  };
  for (const json& f : doc["findings"]) line(f, "finding");
  for (const json& d : doc["diagnostics"]) line(d, "diagnostic");
  json summary = doc["stats"];
  for (const char* key :
       {"complete", "incomplete", "secret_hash_key", "scans", "per_app", "shared", "notes"}) {
    summary[key] = doc[key];
  }
  line(summary, "summary");
}

void WriteMergedText(const json& doc, std::ostream& out) {
  out << "merged " << doc["scans"].size() << " scans: " << doc["findings"].size() << " findings in "
      << doc["per_app"].size() << " apps\n";
  if (!doc["per_app"].empty()) out << "\nper app:\n";
  for (const json& a : doc["per_app"]) {
    out << "  " << Str(a, "app") << (Str(a, "version").empty() ? "" : " " + Str(a, "version"))
        << ": " << a["findings"].get<std::size_t>() << " findings (";
    bool first = true;
    for (auto it = a["by_class"].begin(); it != a["by_class"].end(); ++it, first = false) {
      out << (first ? "" : ", ") << it.key() << ' ' << it.value().get<std::size_t>();
    }
    out << ")\n";
  }
  if (!doc["shared"].empty()) out << "\nsame secret more than once:\n";
  for (const json& s : doc["shared"]) {
    out << "  " << Str(s, "provider") << ' ' << Str(s, "secret") << " (" << Str(s, "rule_id")
        << "): ships in " << s["app_count"].get<std::size_t>() << " app"
        << (s["app_count"].get<std::size_t>() == 1 ? "" : "s") << ", "
        << s["copies"].get<std::size_t>() << " copies:";
    for (const json& app : s["apps"]) out << ' ' << app.get<std::string>();
    out << '\n';
  }
  if (!doc["findings"].empty()) out << "\nfindings:\n";
  for (const json& f : doc["findings"]) {
    const json& loc = f["location"];
    out << "  [" << Str(f, "severity") << "] " << Str(f["scan"], "app") << ": " << Str(loc, "path");
    if (loc.value("line", 0) > 0) out << ':' << loc["line"] << ':' << loc.value("column", 0);
    out << "  " << Str(f, "rule_id") << ' ' << Str(f, "secret") << '\n';
  }
  for (const json& d : doc["diagnostics"]) {
    out << Str(d, "level") << ": " << Str(d, "scan") << ": " << Str(d, "location") << ": "
        << Str(d, "message") << '\n';
  }
  for (const json& n : doc["notes"]) out << "note: " << n.get<std::string>() << '\n';
  if (!doc["complete"].get<bool>()) {
    out << "INCOMPLETE: some merged scans did not scan everything (";
    bool first = true;
    for (auto it = doc["incomplete"]["reasons"].begin(); it != doc["incomplete"]["reasons"].end();
         ++it, first = false) {
      out << (first ? "" : ", ") << it.key() << ' ' << it.value();
    }
    out << ")\n";
  }
}

}  // namespace leakproof::cli
