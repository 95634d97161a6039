// Reads CredentialInputs from a saved `leakproof scan --format json|jsonl` report
// (docs/report-format.md). Only names, places and URLs are kept, never `secret`.
#include "leakproof/proxy/bff/credential.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace leakproof::proxy::bff {
namespace {

using scanner::Result;
using scanner::Status;

std::string Str(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<CredentialInput> FromFindingJson(const nlohmann::json& f, std::size_t index) {
  if (!f.is_object())
    return Status::Corrupt("finding " + std::to_string(index) + " is not an object");
  CredentialInput c;
  c.rule_id = Str(f, "rule_id");
  // One credential per key: secret_hash is per secret; reports from before it existed had a
  // per-secret "fingerprint" instead (now per location, so only the fallback).
  c.fingerprint = Str(f, "secret_hash");
  if (c.fingerprint.empty()) c.fingerprint = Str(f, "fingerprint");
  if (c.rule_id.empty() || c.fingerprint.empty()) {
    return Status::Corrupt("finding " + std::to_string(index) + ": missing rule_id or fingerprint");
  }
  if (auto loc = f.find("location"); loc != f.end() && loc->is_object()) {
    c.location_path = Str(*loc, "path");
    c.detail = Str(*loc, "detail");
    if (auto line = loc->find("line"); line != loc->end() && line->is_number_unsigned()) {
      c.line = line->get<std::uint32_t>();
    }
    auto offset = loc->find("offset");
    auto length = f.find("secret_length");
    if (offset != loc->end() && offset->is_number_unsigned() && length != f.end() &&
        length->is_number_unsigned()) {
      c.span = c.location_path + "\n" + std::to_string(offset->get<std::uint64_t>()) + "\n" +
               std::to_string(length->get<std::uint64_t>());
    }
  }
  if (auto urls = f.find("context_urls"); urls != f.end() && urls->is_array()) {
    for (const auto& u : *urls) {
      if (!u.is_string()) continue;
      std::string clean = SanitizeUrl(u.get<std::string>());
      if (!clean.empty() &&
          std::find(c.context_urls.begin(), c.context_urls.end(), clean) == c.context_urls.end()) {
        c.context_urls.push_back(clean);
      }
    }
  }
  // A report has no call site, only the snippet around the key: read it as one. When the
  // call (`fetch("<url>", {method: "POST"})`, `axios.post("<url>")`) fits in it, its method
  // and body are as good as a live scan's; otherwise the planner opens POST on the exact
  // path and MIGRATION.md says so.
  const std::string snippet = Str(f, "snippet");
  c.from_report = true;
  c.methods_seen = MethodsInSnippet(snippet);
  TemplateValuesInSnippet(snippet, c.template_values);
  c.models_seen = ModelsInText(snippet);
  if (!c.context_urls.empty()) {
    c.operations_seen = CallSiteOperations(snippet, c.context_urls, /*partial=*/true);
    c.bodies_seen = CallSiteBodies(snippet, c.context_urls);
  }
  c.rule_name = Str(f, "rule_name");
  c.provider = Str(f, "provider");
  c.provider_name = Str(f, "provider_name");
  c.rule_class = Str(f, "class");
  c.env_var = Str(f, "env_var");
  c.advice = Str(f, "advice");
  c.rotate_url = Str(f, "rotate_url");
  c.decides = Str(f, "decides");
  return c;
}

}  // namespace

Result<std::vector<CredentialInput>> CredentialsFromReport(std::string_view text) {
  std::vector<nlohmann::json> findings;
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded()) {
    if (!doc.is_object() || !doc.contains("findings") || !doc["findings"].is_array()) {
      return Status::Corrupt("not a leakproof JSON report: no \"findings\" array");
    }
    for (const auto& f : doc["findings"]) findings.push_back(f);
  } else {
    // jsonl: one finding per line, then a {"type":"summary"} line.
    std::size_t start = 0;
    std::size_t line_no = 0;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(start, end - start);
      start = end + 1;
      ++line_no;
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      nlohmann::json obj = nlohmann::json::parse(line, nullptr, false);
      if (obj.is_discarded() || !obj.is_object()) {
        return Status::Corrupt("report line " + std::to_string(line_no) + " is not JSON");
      }
      if (obj.value("type", "") == "summary") continue;
      findings.push_back(std::move(obj));
    }
  }
  std::vector<CredentialInput> out;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    auto c = FromFindingJson(findings[i], i);
    if (!c.ok()) return c.status();
    out.push_back(std::move(*c));
  }
  return out;
}

}  // namespace leakproof::proxy::bff
