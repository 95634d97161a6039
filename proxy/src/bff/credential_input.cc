// CredentialInput helpers shared by both sources: URL cleanup and method detection.
#include "leakproof/proxy/bff/credential.h"

#include "bff/context_urls.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace leakproof::proxy::bff {

std::string StripQueryAndFragment(std::string_view url, std::vector<std::string>* query_names) {
  if (!ParseHttpUrl(url)) return "";
  std::size_t q = url.find_first_of("?#");
  if (q != std::string_view::npos && url[q] == '?' && query_names != nullptr) {
    std::string_view query = url.substr(q + 1);
    query = query.substr(0, query.find('#'));
    while (!query.empty()) {
      std::size_t amp = query.find('&');
      std::string_view pair = query.substr(0, amp);
      std::string name(pair.substr(0, pair.find('=')));
      bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
      });
      if (plain && name.size() <= 40 &&
          std::find(query_names->begin(), query_names->end(), name) == query_names->end()) {
        query_names->push_back(name);
      }
      if (amp == std::string_view::npos) break;
      query = query.substr(amp + 1);
    }
  }
  return std::string(url.substr(0, q));
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

std::vector<CredentialInput> CredentialsFromFindings(
    const std::vector<scanner::Finding>& findings) {
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
    for (const std::string& url : f.context_urls) {
      // A URL that carries the key (telegram's /bot<token>/, ?key=) is dropped whole.
      if (!f.secret.empty() && url.find(f.secret) != std::string::npos) continue;
      std::string clean = StripQueryAndFragment(url, &c.query_names);
      if (!clean.empty()) c.context_urls.push_back(clean);
    }
    c.methods_seen = MethodsInSnippet(f.snippet_before + " " + f.snippet_after);
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
