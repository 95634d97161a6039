// Baseline files: parse (v2, v1, saved report), merge new findings, serialise.
#include "leakproof/scanner/baseline.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace leakproof::scanner {
namespace {

std::string StringField(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Result<std::vector<BaselineEntry>> ParseBaseline(std::string_view json, const std::string& name) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("baseline '" + name + "' is not a JSON object");
  }
  std::vector<BaselineEntry> entries;
  auto take = [&](const nlohmann::json& list, const char* what) -> Status {
    for (std::size_t i = 0; i < list.size(); ++i) {
      const nlohmann::json& e = list[i];
      BaselineEntry b;
      if (e.is_string()) {
        b.fingerprint = e.get<std::string>();
      } else if (e.is_object()) {
        b.fingerprint = StringField(e, "fingerprint");
        b.rule_id = StringField(e, "rule_id");
        b.path = StringField(e, "path");
        if (b.path.empty() && e.contains("location") && e["location"].is_object()) {
          b.path = StringField(e["location"], "path");  // a saved JSON report's finding
        }
        b.reason = StringField(e, "reason");
        b.added = StringField(e, "added");
      }
      if (b.fingerprint.empty()) {
        return Status::InvalidArgument("baseline '" + name + "': " + what + "[" +
                                       std::to_string(i) + "] has no fingerprint");
      }
      entries.push_back(std::move(b));
    }
    return Status::Ok();
  };
  Status s;
  if (j.contains("entries") && j["entries"].is_array()) {
    s = take(j["entries"], "entries");
  } else if (j.contains("fingerprints") && j["fingerprints"].is_array()) {
    s = take(j["fingerprints"], "fingerprints");
  } else if (j.contains("findings") && j["findings"].is_array()) {
    s = take(j["findings"], "findings");
  } else {
    return Status::InvalidArgument("baseline '" + name +
                                   "' has none of 'entries', 'fingerprints' or 'findings'");
  }
  if (!s.ok()) return s;
  return entries;
}

std::vector<BaselineEntry> MergeBaseline(std::vector<BaselineEntry> old,
                                         const std::vector<Finding>& findings,
                                         const std::string& reason, const std::string& added) {
  std::map<std::string, BaselineEntry> by_print;
  for (BaselineEntry& e : old) by_print.emplace(e.fingerprint, std::move(e));
  for (const Finding& f : findings) {
    if (by_print.count(f.fingerprint) != 0) continue;
    by_print.emplace(f.fingerprint,
                     BaselineEntry{f.fingerprint, f.rule != nullptr ? f.rule->id : "",
                                   f.location.path, reason, added});
  }
  std::vector<BaselineEntry> out;
  out.reserve(by_print.size());
  for (auto& [print, e] : by_print) out.push_back(std::move(e));
  return out;
}

std::string BaselineToJson(const std::vector<BaselineEntry>& entries) {
  // Ordered: "version" first and each entry's fingerprint first, for people reading it.
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const BaselineEntry& e : entries) {
    list.push_back({{"fingerprint", e.fingerprint},
                    {"rule_id", e.rule_id},
                    {"path", e.path},
                    {"reason", e.reason},
                    {"added", e.added}});
  }
  nlohmann::ordered_json doc = {{"version", 2}, {"tool", "leakproof"}, {"entries", list}};
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace leakproof::scanner
