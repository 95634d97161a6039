// SARIF locations: URIs against %SRCROOT%, regions, logicalLocations for members.
#include "report/sarif_location.h"

#include <cstdio>

namespace leakproof::scanner {
namespace {

bool Unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// The outermost input: the file that exists in the repository GitHub annotates.
const std::string& OuterPath(const Location& loc) {
  return loc.provenance.empty() ? loc.path : loc.provenance.front();
}

}  // namespace

std::string PercentEncodePath(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (Unreserved(c) || c == '/') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string FileDirectoryUri(std::string_view abs_dir) {
  std::string uri = "file://" + PercentEncodePath(abs_dir);
  if (uri.back() != '/') uri += '/';
  return uri;
}

std::string WhereText(const Location& loc) {
  std::string where = loc.path;
  if (loc.line > 0 && loc.path != OuterPath(loc)) {
    where += ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
  }
  if (!loc.detail.empty()) where += " (" + loc.detail + ")";
  return where;
}

nlohmann::json SarifLocation(const Finding& f, std::string_view base_dir) {
  const Location& loc = f.location;
  const std::string& outer = OuterPath(loc);
  nlohmann::json location = nlohmann::json::object();
  // stdin has no file to annotate: the logical location alone names it.
  if (outer != "-") {
    const std::string path = NormalisedPath(outer, base_dir);
    nlohmann::json artifact;
    if (!path.empty() && path.front() == '/') {
      artifact = {{"uri", "file://" + PercentEncodePath(path)}};
    } else {
      artifact = {{"uri", PercentEncodePath(path)}, {"uriBaseId", kSrcRoot}};
    }
    nlohmann::json physical = {{"artifactLocation", artifact}};
    // A line is the outer file's own only when the finding is in that file itself (not in
    // a member or a decoded layer, whose lines GitHub would pin on the wrong text).
    if (loc.path == outer) {
      if (loc.line > 0) {
        physical["region"] = {{"startLine", loc.line}, {"startColumn", loc.column}};
      } else {
        physical["region"] = {{"byteOffset", loc.offset}, {"byteLength", f.secret.size()}};
      }
    }
    location["physicalLocation"] = std::move(physical);
  }
  if (loc.path != outer || outer == "-" || !loc.detail.empty()) {
    const bool stdin_input = outer == "-";
    std::string name = loc.provenance.empty() ? loc.path : loc.provenance.back();
    if (stdin_input && name == "-") name = "<stdin>";
    nlohmann::json logical = {
        {"fullyQualifiedName",
         stdin_input ? "<stdin>" + loc.path.substr(1) : NormalisedPath(loc.path, base_dir)},
        {"name", name},
        {"kind", loc.path != outer ? "member" : "module"}};
    nlohmann::json props = nlohmann::json::object();
    if (loc.path != outer && loc.line > 0) {
      props["line"] = loc.line;
      props["column"] = loc.column;
    }
    if (!loc.detail.empty()) props["detail"] = loc.detail;
    if (!props.empty()) logical["properties"] = std::move(props);
    location["logicalLocations"] = nlohmann::json::array({std::move(logical)});
  }
  return location;
}

}  // namespace leakproof::scanner
