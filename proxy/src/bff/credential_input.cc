// CredentialInput helpers shared by both sources: URL cleanup, method and template-value
// detection, and the conversion of live scan findings.
#include "leakproof/proxy/bff/credential.h"

#include "bff/context_urls.h"
#include "bff/template_values.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <regex>

namespace leakproof::proxy::bff {
namespace {

bool PlainName(std::string_view name) {
  return !name.empty() && name.size() <= 40 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

}  // namespace

std::string SanitizeUrl(std::string_view url) {
  if (!ParseHttpUrl(url)) return "";
  std::size_t q = url.find_first_of("?#");
  std::string out(url.substr(0, q));
  if (q == std::string_view::npos || url[q] != '?') return out;
  std::string_view query = url.substr(q + 1);
  query = query.substr(0, query.find('#'));
  std::vector<std::string> names;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    std::string name(pair.substr(0, pair.find('=')));
    if (PlainName(name) && std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
  }
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? "&" : "?") + names[i];
  return out;
}

std::vector<std::string> QueryNames(std::string_view sanitized_url) {
  std::vector<std::string> out;
  std::size_t q = sanitized_url.find('?');
  if (q == std::string_view::npos) return out;
  std::string_view rest = sanitized_url.substr(q + 1);
  while (!rest.empty()) {
    std::size_t amp = rest.find('&');
    std::string_view name = rest.substr(0, amp);
    if (PlainName(name)) out.emplace_back(name);
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return out;
}

std::vector<std::string> MethodsInSnippet(std::string_view snippet) {
  static const std::regex kMethod(
      R"re(method["']?\s*[:=]\s*["'`](get|post|put|patch|delete)["'`])re", std::regex::icase);
  std::vector<std::string> out;
  std::string text(snippet);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kMethod);
       it != std::sregex_iterator(); ++it) {
    std::string m = (*it)[1].str();
    for (char& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
  }
  return out;
}

std::vector<CredentialInput> CredentialsFromFindings(const std::vector<scanner::Finding>& findings,
                                                     const SourceLookup& sources) {
  std::vector<CredentialInput> out;
  for (const scanner::Finding& f : findings) {
    if (f.rule == nullptr) continue;
    CredentialInput c;
    c.rule_id = f.rule->id;
    // Grouped per key, not per place: secret_hash (set by Scan) is the same for one key in
    // every file; the per-location fingerprint is the fallback for hand-built findings.
    c.fingerprint = f.secret_hash.empty() ? f.fingerprint : f.secret_hash;
    c.location_path = f.location.path;
    c.detail = f.location.detail;
    c.line = f.location.line;
    // The secret's hash makes the span exact (it stays in memory, never in any output).
    c.span = f.location.path + "\n" + std::to_string(f.location.offset) + "\n" +
             std::to_string(f.secret.size()) + "\n" +
             std::to_string(std::hash<std::string>{}(f.secret));
    for (const std::string& url : f.context_urls) {
      // A URL that carries the key (telegram's /bot<token>/, ?key=) is dropped whole.
      if (!f.secret.empty() && url.find(f.secret) != std::string::npos) continue;
      std::string clean = SanitizeUrl(url);
      if (!clean.empty() &&
          std::find(c.context_urls.begin(), c.context_urls.end(), clean) == c.context_urls.end()) {
        c.context_urls.push_back(clean);
      }
    }
    c.methods_seen = MethodsInSnippet(f.snippet_before + " " + f.snippet_after);
    c.models_seen = ModelsInText(f.snippet_before + " " + f.snippet_after);
    TemplateValuesInSnippet(f.snippet_before, c.template_values);
    if (auto ref = SupabaseRefClaim(f.secret); !ref.empty()) c.template_values.emplace("ref", ref);
    // A publishable identifier half of a pair (Algolia's app ID) fills the placeholder of
    // the same name ({app_id}); it is public by design, unlike every other value here.
    if (f.rule->rule_class == scanner::RuleClass::kPublishable && !f.rule->pair.empty() &&
        IdentifierShaped(f.secret)) {
      std::string name = f.rule->id.substr(f.rule->id.find('.') + 1);
      for (char& ch : name) ch = ch == '-' ? '_' : ch;
      c.template_values.emplace(name, f.secret);
    }
    if (sources && !c.context_urls.empty()) {
      if (std::optional<std::string> text = sources(f.location)) {
        c.operations_seen = CallSiteOperations(*text, c.context_urls);
        c.bodies_seen = CallSiteBodies(*text, c.context_urls);
        for (const std::string& m : CallSiteModels(*text, c.context_urls)) {
          if (std::find(c.models_seen.begin(), c.models_seen.end(), m) == c.models_seen.end())
            c.models_seen.push_back(m);
        }
      }
    }
    c.rule_name = f.rule->name;
    c.provider = f.rule->provider;
    c.rule_class = scanner::RuleClassName(f.rule->rule_class);
    c.advice = f.rule->advice;
    c.decides = f.rule->decides;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace leakproof::proxy::bff
