// CallSiteOperations (credential.h): which HTTP method the code uses on each URL near a key.
//
// The scanner's snippet is ~40 bytes a side, too short to hold the `method:` of a fetch
// call, so a live scan looks at the call site itself in the full text: the bundle, or the
// original source a source map carries. Each occurrence of a context URL is read as a
// call: `fetch("<url>")` (GET unless its options say otherwise), `fetch("<url>",
// {method: "POST"})`, `axios.post("<url>")`, `axios({method: "post", url: "<url>"})`.
// An occurrence that is not recognisably a call gives nothing, and the planner then
// falls back to POST on the exact path.
#include "leakproof/proxy/bff/credential.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace leakproof::proxy::bff {
namespace {

constexpr std::size_t kBefore = 120;  // enough for `await axios.post(` or `method:"post",url:`
constexpr std::size_t kAfter = 400;   // the options object of the same call

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool EndsUrl(char c) {
  return c == '"' || c == '\'' || c == '`' || c == '?' || c == '#' || c == '$' ||
         std::isspace(static_cast<unsigned char>(c));
}

// The method of the call whose URL argument starts right after `before` and whose
// remaining arguments start `after`; "" if unknown.
std::string MethodOfCall(const std::string& before, const std::string& after) {
  static const std::regex kVerbCall(
      R"re((?:^|[^\w$])(?:get|post|put|patch|delete)\s*\(\s*["'`]$)re", std::regex::icase);
  static const std::regex kVerbName(R"re((get|post|put|patch|delete)\s*\(\s*["'`]$)re",
                                    std::regex::icase);
  static const std::regex kMethodBefore(
      R"re(method["']?\s*:\s*["'`](get|post|put|patch|delete)["'`]\s*,\s*url["']?\s*:\s*["'`]$)re",
      std::regex::icase);
  static const std::regex kFetch(R"re((?:fetch|Request)\s*\(\s*["'`]$)re");
  static const std::regex kMethodAfter(
      R"re(^[^;]*?method["']?\s*:\s*["'`](get|post|put|patch|delete)["'`])re", std::regex::icase);
  std::smatch m;
  if (std::regex_search(before, m, kVerbCall) && std::regex_search(before, m, kVerbName)) {
    return Upper(m[1].str());
  }
  if (std::regex_search(before, m, kMethodBefore)) return Upper(m[1].str());
  if (std::regex_search(before, m, kFetch)) {
    // Only the options of this call: stop at the next call of a URL.
    std::string own = after.substr(0, std::min(after.find("fetch("), after.find("://")));
    if (std::regex_search(own, m, kMethodAfter)) return Upper(m[1].str());
    return "GET";  // fetch() without a method is a GET
  }
  return "";
}

// Calls `visit(url, before, after)` for every occurrence of a context URL in `text`.
template <typename Visit>
void ForEachCall(std::string_view text, const std::vector<std::string>& urls, Visit visit) {
  for (const std::string& url : urls) {
    const std::string bare = url.substr(0, url.find('?'));
    if (bare.empty()) continue;
    for (std::size_t at = text.find(bare); at != std::string_view::npos;
         at = text.find(bare, at + 1)) {
      std::size_t end = at + bare.size();
      if (end < text.size() && !EndsUrl(text[end])) continue;  // a longer URL: its own entry
      std::size_t from = at >= kBefore ? at - kBefore : 0;
      std::string before(text.substr(from, at - from));
      std::size_t close = text.find_first_of("\"'`", end);
      std::size_t args = close == std::string_view::npos ? text.size() : close + 1;
      std::string after(text.substr(args, std::min(kAfter, text.size() - args)));
      visit(url, before, after);
    }
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> CallSiteOperations(
    std::string_view text, const std::vector<std::string>& urls) {
  std::vector<std::pair<std::string, std::string>> out;
  ForEachCall(text, urls,
              [&](const std::string& url, const std::string& before, const std::string& after) {
                std::string method = MethodOfCall(before, after);
                if (method.empty()) return;
                std::pair<std::string, std::string> op{method, url};
                if (std::find(out.begin(), out.end(), op) == out.end()) out.push_back(op);
              });
  return out;
}

std::vector<std::string> ModelsInText(std::string_view text) {
  static const std::regex kModel(
      R"re(["']?model["']?\s*:\s*["'`]([A-Za-z0-9][\w.:/-]{0,63})["'`])re");
  std::vector<std::string> out;
  std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), kModel); it != std::sregex_iterator();
       ++it) {
    std::string m = (*it)[1].str();
    if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
  }
  return out;
}

std::vector<std::string> CallSiteModels(std::string_view text,
                                        const std::vector<std::string>& urls) {
  std::vector<std::string> out;
  ForEachCall(text, urls, [&](const std::string&, const std::string&, const std::string& after) {
    std::string own = after.substr(0, std::min(after.find("fetch("), after.find("://")));
    for (const std::string& m : ModelsInText(own)) {
      if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    }
  });
  return out;
}

}  // namespace leakproof::proxy::bff
