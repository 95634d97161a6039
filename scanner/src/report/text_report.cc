// Human text output: grouped by input file, colour on a TTY, one block per finding
// with the redacted secret, where it is, and what to do about it. Everything that came
// from the artifact (names, labels, snippets, messages) goes through TerminalSafe().
#include "report/report_json.h"
#include "report/terminal_text.h"

#include <map>

namespace leakproof::scanner {
namespace {

struct Palette {
  const char* red = "";
  const char* yellow = "";
  const char* cyan = "";
  const char* bold = "";
  const char* dim = "";
  const char* reset = "";
};

Palette MakePalette(bool color) {
  if (!color) return {};
  return {"\033[31m", "\033[33m", "\033[36m", "\033[1m", "\033[2m", "\033[0m"};
}

const char* ClassColor(RuleClass c, const Palette& p) {
  if (c == RuleClass::kPublishable) return p.cyan;
  if (c == RuleClass::kConditional) return p.yellow;
  return p.red;
}

// " LIVE" (loud: the key works now) or " rejected"/" unknown"/" error" after the class.
std::string VerificationTag(const Verification& v, const Palette& p) {
  if (v.state == Verification::State::kNotChecked) return "";
  if (v.state == Verification::State::kLive)
    return std::string(" ") + p.red + p.bold + "LIVE" + p.reset;
  return std::string(" ") + VerificationStateName(v.state);
}

std::string Upper(const char* s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

void WriteText(const ScanResult& r, const RuleSet& rules, const ReportOptions& o,
               std::ostream& out) {
  const Palette p = MakePalette(o.color);
  // Group by the outermost input, keeping first-seen order (sorted if --sort was used).
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Finding*>> by_file;
  for (const Finding& f : r.findings) {
    const std::string root = InputLabel(f);
    if (by_file.count(root) == 0) order.push_back(root);
    by_file[root].push_back(&f);
  }
  std::size_t secret = 0, conditional = 0, publishable = 0;
  for (const std::string& file : order) {
    out << p.bold << TerminalSafe(file) << p.reset << '\n';
    for (const Finding* f : by_file[file]) {
      const Rule& rule = *f->rule;
      const ProviderFacts facts = rules.EffectiveFacts(rule);
      const RuleClass cls = EffectiveClass(*f);
      switch (cls) {
        case RuleClass::kSecret:
          ++secret;
          break;
        case RuleClass::kConditional:
          ++conditional;
          break;
        case RuleClass::kPublishable:
          ++publishable;
          break;
      }
      std::string where = f->location.path;
      if (f->location.line > 0) {
        where += ":" + std::to_string(f->location.line) + ":" + std::to_string(f->location.column);
      }
      if (!f->location.detail.empty()) where += " (" + f->location.detail + ")";
      out << "  " << ClassColor(cls, p) << p.bold << Upper(SeverityName(rule.severity)) << ' '
          << RuleClassName(cls) << p.reset << VerificationTag(f->verification, p) << "  "
          << TerminalSafe(rule.name) << "  " << p.dim << '[' << TerminalSafe(rule.id) << ", "
          << TerminalSafe(facts.name) << ", " << ConfidenceName(f->confidence) << " confidence]"
          << p.reset << '\n';
      const std::string shown = TerminalSafe(ShownSecret(*f, o));
      out << "    at      " << TerminalSafe(where) << '\n';
      if (const auto& c = f->location.commit) {
        out << "    in      " << TerminalSafe(CommitText(*c)) << p.dim << "  "
            << TerminalSafe(c->summary) << p.reset << '\n';
      }
      out << "    secret  " << shown << p.dim << "  fingerprint " << f->fingerprint << p.reset
          << '\n';
      out << "    context " << p.dim << TerminalSafe(f->snippet_before) << p.reset << shown << p.dim
          << TerminalSafe(f->snippet_after) << p.reset << '\n';
      if (f->verification.state != Verification::State::kNotChecked) {
        out << "    verify  " << VerificationStateName(f->verification.state);
        if (f->verification.http_status != 0)
          out << " (HTTP " << f->verification.http_status << ")";
        if (!f->verification.identity.empty()) {
          out << " as " << TerminalSafe(f->verification.identity);
        }
        if (!f->verification.evidence.empty()) {
          out << p.dim << "  " << TerminalSafe(f->verification.evidence) << p.reset;
        }
        out << '\n';
      }
      if (!rule.advice.empty()) out << "    fix     " << TerminalSafe(rule.advice) << '\n';
      if (cls == RuleClass::kConditional && !rule.decides.empty()) {
        out << "    decides " << TerminalSafe(rule.decides) << '\n';
      }
      if (cls == RuleClass::kSecret) {
        // A key that shipped is compromised: moving it is not enough.
        // `leakproof bff` can only route keys of an HTTP API it knows (a keystore, a
        // hardcoded AES key or a password has no server route to move to).
        const bool routable = !facts.base_url.empty() && facts.auth != "none";
        out << "    rotate  "
            << (!facts.rotate_url.empty() ? TerminalSafe(facts.rotate_url)
                : routable                ? std::string("revoke this key in the provider's console")
                                          : std::string("replace it and revoke the old one"))
            << " — it has shipped, so treat it as public"
            << (routable ? "; then `leakproof bff` generates the server route" : "") << '\n';
      }
    }
    out << '\n';
  }
  std::size_t shown_diags = 0;
  for (const Diagnostic& d : r.diagnostics) {
    if (d.level == DiagnosticLevel::kInfo && !o.show_info) continue;
    if (d.level == DiagnosticLevel::kError && !o.errors_in_report) continue;  // on stderr
    if (shown_diags++ == 0) out << p.bold << "diagnostics" << p.reset << '\n';
    const char* color = d.level == DiagnosticLevel::kError ? p.red : p.yellow;
    out << "  " << color << DiagnosticLevelName(d.level) << p.reset << "  "
        << TerminalSafe(d.location) << ": " << TerminalSafe(d.message);
    if (d.count > 1) {
      // An aggregated line: how many, and where the first few were.
      out << " (" << d.count << " times; e.g.";
      for (std::size_t i = 0; i < d.examples.size(); ++i) {
        out << (i == 0 ? " " : ", ") << TerminalSafe(d.examples[i]);
      }
      out << ")";
    }
    out << '\n';
  }
  if (shown_diags > 0) out << '\n';
  out << p.bold << Counted(r.findings.size(), "finding", "findings") << p.reset << " (" << secret
      << " secret, " << conditional << " conditional, " << publishable << " publishable) in "
      << (r.git ? Counted(r.stats.files, "blob", "blobs") + " of " +
                      Counted(r.git->commits, "commit", "commits")
                : Counted(r.stats.files, "file", "files"))
      << ", " << HumanBytes(r.stats.bytes) << " in " << HumanSeconds(r.stats.seconds);
  if (r.stats.suppressed > 0) out << "; " << r.stats.suppressed << " suppressed";
  if (!r.diagnostics.empty()) {
    out << "; " << Counted(r.diagnostics.size(), "diagnostic", "diagnostics");
  }
  out << '\n';
  if (const std::string b = BaselineSentence(r); !b.empty()) out << b << '\n';
  if (const std::string c = CoverageSentence(r); !c.empty()) {
    out << p.red << p.bold << c << p.reset << '\n';
  }
}

}  // namespace leakproof::scanner
