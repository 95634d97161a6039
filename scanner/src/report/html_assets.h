// The HTML report's page, stylesheet and script (html_assets/), embedded at build time by
// html_embed_assets.cmake.
#pragma once

#include <string_view>

namespace leakproof::scanner {

struct HtmlAssets {
  std::string_view page;    // report.html: holds the /*@@CSS@@*/, /*@@JS@@*/, /*@@DATA@@*/ slots
  std::string_view style;   // report.css
  std::string_view script;  // report.js
};

HtmlAssets HtmlReportAssets();

}  // namespace leakproof::scanner
