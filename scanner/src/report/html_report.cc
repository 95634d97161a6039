// The HTML report: the page from html_assets/ with its stylesheet, script and the report
// document put into their slots. All rendering happens in the page's script, from the
// embedded JSON, through DOM text nodes: nothing here builds markup from report data.
#include "leakproof/scanner/report.h"

#include "report/html_assets.h"

#include <string>

namespace leakproof::scanner {
namespace {

// JSON text safe inside <script type="application/json">: '<', '>' and '&' occur in
// JSON only inside strings, where \u escapes mean the same characters, so the data
// cannot close the element ("</script>") or open a comment ("<!--").
std::string ScriptSafeJson(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 16);
  for (char c : json) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Writes `page` up to `slot`, then `value`; returns where the page continues.
std::size_t WriteUpTo(std::string_view page, std::size_t from, std::string_view slot,
                      std::string_view value, std::ostream& out) {
  const std::size_t at = page.find(slot, from);
  if (at == std::string_view::npos) return from;  // html_report_test guards the slots
  out << page.substr(from, at - from) << value;
  return at + slot.size();
}

}  // namespace

void WriteHtmlReport(std::string_view json_document, std::ostream& out) {
  const HtmlAssets assets = HtmlReportAssets();
  std::size_t pos = 0;
  pos = WriteUpTo(assets.page, pos, "/*@@CSS@@*/", assets.style, out);
  pos = WriteUpTo(assets.page, pos, "/*@@DATA@@*/", ScriptSafeJson(json_document), out);
  pos = WriteUpTo(assets.page, pos, "/*@@JS@@*/", assets.script, out);
  out << assets.page.substr(pos);
}

}  // namespace leakproof::scanner
