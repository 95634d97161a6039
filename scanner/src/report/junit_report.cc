// JUnit XML: one test case per finding (secret and conditional ones fail), so CI
// systems that only read JUnit still show which key leaked where.
#include "report/report_json.h"

namespace leakproof::scanner {
namespace {

std::string Xml(std::string_view s) {
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
        // Control bytes are not allowed in XML 1.0.
        out += (c < 0x20 && c != '\n' && c != '\t') ? '?' : static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

void WriteJunit(const ScanResult& r, const RuleSet& /*rules*/, const ReportOptions& o,
                std::ostream& out) {
  std::size_t failures = 0;
  for (const Finding& f : r.findings) {
    if (f.rule->rule_class != RuleClass::kPublishable) ++failures;
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
    std::string where = f.location.path;
    if (f.location.line > 0) where += ":" + std::to_string(f.location.line);
    if (!f.location.detail.empty()) where += " (" + f.location.detail + ")";
    out << "    <testcase classname=\"" << Xml(rule.id) << "\" name=\"" << Xml(where) << "\">";
    if (rule.rule_class != RuleClass::kPublishable) {
      out << "<failure type=\"" << RuleClassName(rule.rule_class) << "\" message=\""
          << Xml(rule.name) << " " << Xml(ShownSecret(f, o)) << "\">" << Xml(rule.advice)
          << "</failure>";
    }
    out << "</testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

}  // namespace leakproof::scanner
