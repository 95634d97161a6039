#include "detect/named_detector.h"

#include "detect/config_credentials.h"
#include "detect/provider_attribution.h"
#include "detect/secret_name.h"
#include "detect/secret_value.h"
#include "detect/verdict_detector.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace leakproof::scanner {
namespace {

enum NamedRule : std::size_t { kPassword = 0, kSecret = 1, kKey = 2 };

Rule MakeRule(std::string id, std::string name, Severity severity, std::string advice) {
  Rule r;
  r.id = std::move(id);
  r.name = std::move(name);
  r.provider = "generic";
  r.rule_class = RuleClass::kSecret;
  r.severity = severity;
  r.advice = std::move(advice);
  r.source_file = std::string(detect::kDetectorSource);
  return r;
}

std::string_view FileName(const Blob& blob) {
  const auto& chain = blob.provenance().chain();
  if (chain.empty() || chain.back().is_decoding) return {};
  std::string_view n = chain.back().name;
  const std::size_t slash = n.find_last_of("/\\");
  return slash == std::string_view::npos ? n : n.substr(slash + 1);
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '$';
}

// Segments written by NameBesideValue: "name = value".
void SegmentCandidates(const Blob& blob, std::vector<detect::ValueCandidate>& out) {
  const std::string_view text = blob.bytes();
  const auto& segs = blob.segments();
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const std::uint64_t from = segs[i].offset;
    std::uint64_t to = i + 1 < segs.size() ? segs[i + 1].offset - 1 : text.size();
    if (from >= to || to > text.size()) continue;
    const std::string_view seg = text.substr(from, to - from);
    const std::size_t eq = seg.find(" = ");
    if (eq == std::string_view::npos || eq == 0 || eq > 120) continue;
    const std::string_view name = seg.substr(0, eq);
    if (!std::all_of(name.begin(), name.end(), IsNameChar)) continue;
    std::uint64_t vs = from + eq + 3;
    std::uint64_t ve = to;
    if (ve - vs >= 2 && (text[vs] == '"' || text[vs] == '\'') && text[ve - 1] == text[vs]) {
      ++vs;
      --ve;
    }
    const detect::NameVerdict verdict = detect::ClassifyName(name);
    if (verdict.kind == detect::SecretKind::kNone) continue;
    if (!detect::ValueLooksSecret(text.substr(vs, ve - vs), verdict)) continue;
    out.push_back({vs, ve, verdict, name});
  }
}

// An AWS access key ID (AKIA/ASIA + 16 base32 characters) anywhere in the text.
bool HasAwsKeyId(std::string_view text) {
  for (std::string_view prefix : {"AKIA", "ASIA"}) {
    std::size_t pos = 0;
    while ((pos = text.find(prefix, pos)) != std::string_view::npos) {
      std::size_t n = 0;
      while (pos + 4 + n < text.size() && n < 17) {
        const char c = text[pos + 4 + n];
        if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))) break;
        ++n;
      }
      if (n == 16) return true;
      pos += 4;
    }
  }
  return false;
}

bool IsAwsSecretShape(std::string_view v) {
  return v.size() == 40 && std::all_of(v.begin(), v.end(), [](unsigned char c) {
           return std::isalnum(c) != 0 || c == '/' || c == '+';
         });
}

}  // namespace

const std::vector<Rule>& NamedDetectorRules() {
  static const std::vector<Rule> rules = [] {
    std::vector<Rule> v;
    v.push_back(MakeRule("generic.named-password",
                         "Password under its name (config file or app resource)", Severity::kHigh,
                         "Remove the password from the artifact, rotate it, and inject it at "
                         "runtime (env var, secret store, credential helper)."));
    v.push_back(MakeRule(
        "generic.named-secret", "Token or secret under its name (config file or app resource)",
        Severity::kHigh, "Move the credential server-side or into a secret store and rotate it."));
    v.push_back(MakeRule("generic.named-key", "Random-looking value under a key-like name",
                         Severity::kMedium,
                         "Check whether this key grants access; if so, move it server-side and "
                         "rotate it."));
    return v;
  }();
  return rules;
}

const Rule& RuleAt(const RuleSet& rules, std::size_t index) {
  const std::size_t n = rules.rules().size();
  const std::size_t named = NamedDetectorRules().size();
  const std::size_t verdicts = VerdictRules().size();
  if (index < n) return rules.rules()[index];
  if (index < n + named) return NamedDetectorRules()[index - n];
  if (index < n + named + verdicts) return VerdictRules()[index - n - named];
  return detect::AttributedRule(index - n - named - verdicts);
}

void AppendNamedMatches(const Blob& blob, const RuleSet& rules, std::vector<RawMatch>& matches) {
  // Verdicts an extractor decided by structure (keystores, DEX crypto constants).
  AppendVerdictMatches(blob, rules.rules().size() + NamedDetectorRules().size(), matches);
  std::vector<detect::ValueCandidate> found;
  if (!blob.segments().empty()) {
    SegmentCandidates(blob, found);
  } else {
    const detect::ConfigFormat format = detect::ConfigFormatOf(FileName(blob), blob.bytes());
    if (format == detect::ConfigFormat::kNone) return;
    detect::FindConfigCredentials(blob.bytes(), format, found);
  }
  if (found.empty()) return;
  const std::string_view text = blob.bytes();
  const std::size_t base = rules.rules().size();
  const std::size_t engine_matches = matches.size();
  int aws_ids = -1;  // unknown until a candidate needs it
  for (const detect::ValueCandidate& c : found) {
    std::size_t index = base + (c.name.kind == detect::SecretKind::kPassword ? kPassword
                                : c.name.strong                              ? kSecret
                                                                             : kKey);
    // A provider named in the name ("MAILGUN_API_KEY") takes the finding over.
    if (!c.name_text.empty()) {
      const std::string provider = detect::AttributeProvider(c.name_text, rules);
      if (!provider.empty()) {
        index = base + NamedDetectorRules().size() + VerdictRules().size() +
                detect::AttributedRuleSlot(rules, provider);
      }
    }
    // An AWS secret key beside its key ID in the same table, plist or file.
    if (c.name.kind == detect::SecretKind::kToken &&
        IsAwsSecretShape(text.substr(c.start, c.end - c.start))) {
      if (aws_ids < 0) aws_ids = HasAwsKeyId(text) ? 1 : 0;
      const Rule* aws = aws_ids == 1 ? rules.FindRule("aws.secret-access-key") : nullptr;
      if (aws != nullptr) index = static_cast<std::size_t>(aws - rules.rules().data());
    }
    // Where the engine found the same bytes, its finding stands, except that a generic
    // rule's (generic.env-assignment) alone takes the provider this name attributes.
    const bool attributed =
        index < base || index >= base + NamedDetectorRules().size() + VerdictRules().size();
    RawMatch* generic_same_bytes = nullptr;
    bool overlaps = false;
    bool provider_found_it = false;
    for (std::size_t i = 0; i < engine_matches; ++i) {
      RawMatch& e = matches[i];
      if (c.start >= e.secret_end || e.secret_start >= c.end) continue;
      overlaps = true;
      if (RuleAt(rules, e.rule_index).provider != "generic") {
        provider_found_it = true;
      } else if (e.secret_start == c.start && e.secret_end == c.end) {
        generic_same_bytes = &e;
      }
    }
    if (attributed && !provider_found_it && generic_same_bytes != nullptr) {
      generic_same_bytes->rule_index = index;
    }
    if (overlaps) continue;
    RawMatch m;
    m.rule_index = index;
    m.start = m.secret_start = c.start;
    m.end = m.secret_end = c.end;
    matches.push_back(m);
  }
  if (matches.size() == engine_matches) return;
  std::stable_sort(matches.begin(), matches.end(), [](const RawMatch& a, const RawMatch& b) {
    return a.secret_start < b.secret_start;
  });
}

Confidence ConfidenceOf(const Rule& rule) {
  // A parser's structural verdict (a keystore that opened, a constant in SecretKeySpec).
  if (IsVerdictRule(rule)) return Confidence::kHigh;
  // The detector's own rules: weak names are low, everything else it reports medium.
  if (rule.source_file == detect::kDetectorSource) {
    return &rule == &NamedDetectorRules()[kKey] ? Confidence::kLow : Confidence::kMedium;
  }
  if (rule.id.find("private-key") != std::string::npos) return Confidence::kHigh;
  const bool keyword_gated =
      rule.regex.rfind("(?i:", 0) == 0 || rule.regex.rfind("(?:(?i:", 0) == 0;
  if (rule.provider == "generic" || rule.provider == "custom" || rule.fallback || rule.user_rule ||
      keyword_gated) {
    return Confidence::kMedium;
  }
  return Confidence::kHigh;
}

}  // namespace leakproof::scanner
