// Git provenance in every report format (docs/git.md "Provenance"): the commit object of
// JSON/JSONL, the run's versionControlProvenance and per-result properties in SARIF,
// and the "commit abc1234 by Name <mail> on date" line of text and JUnit.
#include "report/report_json.h"

namespace leakproof::scanner {

std::string CommitText(const CommitInfo& c) {
  std::string s = "commit " + c.id.substr(0, 7) + " by " + c.author + " <" + c.email + ">";
  if (!c.date.empty()) s += " on " + c.date;
  return s;
}

std::string InputLabel(const Finding& f) {
  const std::string& root =
      f.location.provenance.empty() ? f.location.path : f.location.provenance.front();
  return f.location.commit ? f.location.commit->id.substr(0, 7) + ":" + root : root;
}

nlohmann::json CommitJson(const CommitInfo& c) {
  return {{"id", c.id},
          {"author", c.author},
          {"email", c.email},
          {"date", c.date},
          {"summary", c.summary}};
}

void AddGitJson(const ScanResult& r, nlohmann::json& doc) {
  if (!r.git) return;
  const GitRunInfo& g = *r.git;
  doc["git"] = {{"repository_uri", g.repository_uri},
                {"revision", g.revision_id},
                {"branch", g.branch},
                {"staged", g.staged},
                {"shallow", g.shallow},
                {"commits", g.commits},
                {"blob_refs", g.blob_refs},
                {"blobs_scanned", r.stats.files},
                {"repeated_findings", g.repeated_findings}};
}

void AddGitSarif(const ScanResult& r, nlohmann::json& run) {
  if (!r.git) return;
  const GitRunInfo& g = *r.git;
  // SARIF wants an absolute URI for the repository: without a publishable origin there
  // is no versionControlDetails object to give (repositoryUri is required in it).
  if (g.repository_uri.empty()) return;
  nlohmann::json vcs = {{"repositoryUri", g.repository_uri}};
  if (!g.revision_id.empty()) vcs["revisionId"] = g.revision_id;
  if (!g.branch.empty()) vcs["branch"] = g.branch;
  run["versionControlProvenance"] = nlohmann::json::array({std::move(vcs)});
}

}  // namespace leakproof::scanner
