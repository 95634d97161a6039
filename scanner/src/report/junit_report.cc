// JUnit XML: one test case per finding, so CI systems that only read JUnit still show
// which key leaked where. Only findings that fail the run (--fail-on) are <failure>s; the
// others are passing test cases that carry the same details in <system-out>.
#include "report/report_json.h"
#include "report/terminal_text.h"

#include <algorithm>

namespace leakproof::scanner {
namespace {

// XML 1.0 text: markup escaped; control bytes and invalid UTF-8 (member names, labels
// from binaries) shown as \xNN first, since XML can carry neither.
std::string Xml(std::string_view raw) {
  const std::string s = TerminalSafe(raw);
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

void WriteJunit(const ScanResult& r, const RuleSet& /*rules*/, const ReportOptions& o,
                std::ostream& out) {
  std::size_t failures = 0;
  for (const Finding& f : r.findings) {
    if (FailsRun(f, o)) ++failures;
  }
  // One more test case says whether everything was scanned: an <error> when not, so a
  // partial scan never shows as an all-green suite.
  const std::string incomplete = CoverageSentence(r);
  const std::size_t tests = std::max<std::size_t>(1, r.findings.size()) + 1;
  const int errors = incomplete.empty() ? 0 : 1;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"leakproof\" tests=\"" << tests << "\" failures=\"" << failures
      << "\" errors=\"" << errors << "\">\n";
  out << "  <testsuite name=\"leakproof scan\" tests=\"" << tests << "\" failures=\"" << failures
      << "\" errors=\"" << errors << "\" time=\"" << r.stats.seconds << "\">\n";
  out << "    <testcase classname=\"leakproof\" name=\"scan coverage\">";
  if (!incomplete.empty()) {
    out << "<error type=\"incomplete\" message=\"" << Xml(incomplete) << "\"/>";
  }
  out << "</testcase>\n";
  if (r.findings.empty())
    out << "    <testcase classname=\"leakproof\" name=\"no secrets found\"/>\n";
  for (const Finding& f : r.findings) {
    const Rule& rule = *f.rule;
    std::string where = f.location.commit
                            ? f.location.commit->id.substr(0, 7) + ":" + f.location.path
                            : f.location.path;
    if (f.location.line > 0) where += ":" + std::to_string(f.location.line);
    if (!f.location.detail.empty()) where += " (" + f.location.detail + ")";
    out << "    <testcase classname=\"" << Xml(rule.id) << "\" name=\"" << Xml(where) << "\">";
    std::string message = rule.name + " " + ShownSecret(f, o);
    if (f.location.commit) message += " (" + CommitText(*f.location.commit) + ")";
    if (f.verification.state != Verification::State::kNotChecked) {
      message += " (verified: " + std::string(VerificationStateName(f.verification.state)) +
                 (f.verification.evidence.empty() ? "" : ", " + f.verification.evidence) + ")";
    }
    if (FailsRun(f, o)) {
      out << "<failure type=\"" << RuleClassName(EffectiveClass(f)) << "\" message=\""
          << Xml(message) << "\">" << Xml(rule.advice) << "</failure>";
    } else {
      // Reported, not failing (--fail-on): the details stay visible.
      out << "<system-out>"
          << Xml(std::string(RuleClassName(EffectiveClass(f))) + ": " + message +
                 (rule.advice.empty() ? "" : ". " + rule.advice))
          << "</system-out>";
    }
    out << "</testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace leakproof::scanner
