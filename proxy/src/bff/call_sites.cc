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
#include <set>

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
// remaining arguments start `after`; "" if unknown. In a `partial` text (a report's
// snippet, cut mid-call) a fetch() without a visible method is a GET only when the call
// visibly ends right after the URL: its options may lie beyond the cut.
std::string MethodOfCall(const std::string& before, const std::string& after, bool partial) {
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
    static const std::regex kClosed(R"re(^\s*\))re");
    if (partial && !std::regex_search(own, m, kClosed)) return "";
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
    std::string_view text, const std::vector<std::string>& urls, bool partial) {
  std::vector<std::pair<std::string, std::string>> out;
  ForEachCall(text, urls,
              [&](const std::string& url, const std::string& before, const std::string& after) {
                std::string method = MethodOfCall(before, after, partial);
                if (method.empty()) return;
                std::pair<std::string, std::string> op{method, url};
                if (std::find(out.begin(), out.end(), op) == out.end()) out.push_back(op);
              });
  return out;
}

namespace {

// Top-level keys of the object literal starting at text[open] == '{': `{model:"x", messages}`
// -> {"messages", "model"}. nullopt for anything it cannot read for sure (a spread, a
// computed key, an unterminated literal): then no schema is generated.
std::optional<std::vector<std::string>> ObjectKeys(std::string_view text, std::size_t open) {
  std::vector<std::string> keys;
  int depth = 0;
  bool expect_key = true;
  for (std::size_t i = open; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"' || c == '\'' || c == '`') {
      std::size_t end = i + 1;
      while (end < text.size() && text[end] != c) end += text[end] == '\\' ? 2 : 1;
      if (end >= text.size()) return std::nullopt;
      if (depth == 1 && expect_key) {
        if (c == '`') return std::nullopt;
        keys.emplace_back(text.substr(i + 1, end - i - 1));
        expect_key = false;
      }
      i = end;
      continue;
    }
    if (c == '{' || c == '[' || c == '(') {
      ++depth;
      if (depth > 1) expect_key = false;
      continue;
    }
    if (c == '}' || c == ']' || c == ')') {
      if (--depth == 0) {
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
        return keys;
      }
      continue;
    }
    if (depth != 1) continue;
    if (c == ',') {
      expect_key = true;
    } else if (expect_key &&
               (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$')) {
      std::size_t end = i;
      while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                                   text[end] == '_' || text[end] == '$')) {
        ++end;
      }
      keys.emplace_back(text.substr(i, end - i));
      expect_key = false;
      i = end - 1;
    } else if (expect_key && (c == '.' || c == '[')) {
      return std::nullopt;  // ...spread or [computed]
    }
  }
  return std::nullopt;
}

}  // namespace

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

std::map<std::string, CallSiteBody> CallSiteBodies(std::string_view text,
                                                   const std::vector<std::string>& urls) {
  static const std::regex kBody(
      R"re(^[^;]*?body\s*:\s*(JSON\.stringify|new URLSearchParams)\(\s*\{)re");
  std::map<std::string, CallSiteBody> out;
  std::set<std::string> unreadable;
  ForEachCall(
      text, urls, [&](const std::string& url, const std::string&, const std::string& after) {
        std::string own = after.substr(0, std::min(after.find("fetch("), after.find("://")));
        std::smatch m;
        if (!std::regex_search(own, m, kBody)) return;
        std::size_t open = static_cast<std::size_t>(m.position(0) + m.length(0)) - 1;
        auto keys = ObjectKeys(after, open);
        if (!keys) {
          unreadable.insert(url);
          return;
        }
        CallSiteBody body{m[1].str() == "JSON.stringify" ? "json" : "form", *keys};
        auto [it, fresh] = out.emplace(url, body);
        if (!fresh && (it->second.kind != body.kind || it->second.keys != body.keys))
          unreadable.insert(url);  // two shapes for one URL: no schema rather than a wrong one
      });
  for (const std::string& url : unreadable) out.erase(url);
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
