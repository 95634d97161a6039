// The generated part of docs/verify.md: each verifiable provider's request, from the rule
// pack (leakproof/proxy/verify.h, VerifyDocTable). A test keeps the committed doc in step.
#include "leakproof/proxy/verify.h"

#include "verify/liveness_request.h"

#include <map>

namespace leakproof::proxy {
namespace {

std::string AuthText(const scanner::ProviderFacts& f, const std::string& partner) {
  const std::string& a = f.auth;
  if (a == "bearer") {
    return "`Authorization: " + (f.auth_prefix.empty() ? std::string("Bearer ") : f.auth_prefix) +
           "<key>`";
  }
  if (a == "basic") {
    if (!partner.empty()) return "Basic `<identifier>:<key>`";
    if (f.basic_role == "password") return "Basic `" + f.basic_username + ":<key>`";
    return "Basic `<key>:`";
  }
  if (a.starts_with("header:")) return "`" + a.substr(7) + ": " + f.auth_prefix + "<key>`";
  if (a.starts_with("query:")) return "query `?" + a.substr(6) + "=<key>`";
  if (a == "path") return "in the path";
  if (a == "sigv4") return "SigV4 (access key id + secret), `sts` / `us-east-1`";
  return a;
}

std::string Escape(std::string s) {
  for (std::size_t p = 0; (p = s.find('|', p)) != std::string::npos; p += 2) s.replace(p, 1, "\\|");
  return s;
}

}  // namespace

std::string VerifyDocTable(const scanner::RuleSet& rules) {
  std::string out =
      "| provider | request (never a body) | key presented as | keys checked | not sent |\n"
      "|---|---|---|---|---|\n";
  std::size_t providers = 0, checked = 0;
  for (const auto& [id, facts] : rules.providers()) {
    const verify::LivenessCheck check = verify::LivenessFor(facts);
    if (check.method.empty()) continue;
    std::string ok, not_sent, partner;
    for (const scanner::Rule& r : rules.rules()) {
      if (r.provider != id || r.rule_class == scanner::RuleClass::kPublishable) continue;
      const scanner::ProviderFacts ef = rules.EffectiveFacts(r);
      const std::string why = verify::NotVerifiableReason(r, ef);
      if (why.empty()) {
        ok += (ok.empty() ? "" : ", ") + std::string("`") + r.id + "`";
        ++checked;
        if (std::string role = verify::PartnerRole(r, ef); !role.empty()) {
          partner = "identifier from `" + r.pair + "`";
        }
      } else {
        not_sent += (not_sent.empty() ? "" : "; ") + std::string("`") + r.id + "`: " + why;
      }
    }
    ++providers;
    out += "| " + facts.name + " (`" + id + "`) | `" + check.method + " " + facts.base_url +
           check.path + "` | " + Escape(AuthText(facts, partner)) +
           (partner.empty() ? "" : " (" + partner + ")") + " | " + (ok.empty() ? "-" : ok) + " | " +
           Escape(not_sent.empty() ? "-" : not_sent) + " |\n";
  }
  out += "\n" + std::to_string(providers) + " providers with a liveness request; " +
         std::to_string(checked) + " rules whose keys `--verify` sends.\n";
  return out;
}

}  // namespace leakproof::proxy
