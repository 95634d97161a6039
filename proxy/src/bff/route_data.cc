// CredentialData (route_data.h): plan -> mustache data.
#include "bff/route_data.h"

#include "bff/encode.h"

#include <nlohmann/json.hpp>

#include <cctype>

namespace leakproof::proxy::bff {
namespace {

using kainjow::mustache::data;

std::string Join(const std::vector<std::string>& items, const std::string& sep,
                 const std::string& quote) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + quote + items[i] + quote;
  return out;
}

std::vector<std::string> OneLines(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const std::string& s : items) out.push_back(OneLine(s));
  return out;
}

// The route config object literal shared by every TypeScript/JavaScript target.
std::string ConfigLiteral(const PlannedCredential& p, const BffOptions& options) {
  nlohmann::ordered_json auth;
  auth["kind"] = p.auth.kind;
  if (p.auth.kind == "header") {
    auth["name"] = p.auth.header_name;
    auth["prefix"] = p.auth.prefix;
  } else if (p.auth.kind == "basic") {
    auth["role"] = p.auth.basic_role;
    auth["username"] = p.auth.basic_username;
  } else if (p.auth.kind == "query") {
    auth["name"] = p.auth.query_name;
  }
  nlohmann::ordered_json extra = nlohmann::ordered_json::object();
  for (const auto& [k, v] : p.extra_headers) extra[k] = v;
  nlohmann::ordered_json c;
  c["name"] = p.route_name;
  c["provider"] = p.provider_name;
  c["envVar"] = p.env_var;
  c["baseUrl"] = p.base_url;
  c["baseUrlEnvVar"] = p.base_url_env_var;
  c["auth"] = auth;
  c["extraHeaders"] = extra;
  c["methods"] = p.methods;
  c["pathPrefixes"] = p.path_prefixes;
  c["maxBodyBytes"] = options.max_body_bytes;
  c["rateLimitPerMinute"] = options.rate_limit_per_minute;
  std::string out = c.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  // Same escaping as JsString for '<' so no value can close a <script> or look like HTML.
  std::string safe;
  for (char ch : out) safe += ch == '<' ? std::string("\\u003c") : std::string(1, ch);
  return safe;
}

bool IsIdentifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '$') return false;
  }
  return true;
}

std::string JsSingle(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// fetch(...) before/after lines for the frontend change in MIGRATION.md.
data FrontendExamples(const PlannedCredential& p) {
  data list{data::type::list};
  const std::string csrf = "headers: { 'X-Requested-With': 'leakproof' }";
  if (p.auth.kind == "url") {
    data e;
    e.set("before", "fetch(WEBHOOK_URL, { method: 'POST', body })");
    e.set("after", "fetch(" + JsSingle("/api/" + p.route_name) +
                       ", { method: 'POST', credentials: 'include', " + csrf + ", body })");
    list.push_back(e);
    return list;
  }
  std::vector<std::string> urls = p.example_urls;
  if (urls.empty()) {
    std::string base = p.base_url;
    if (auto k = base.find("{key}"); k != std::string::npos) base.replace(k, 5, "<key>");
    while (!base.empty() && base.back() == '/') base.pop_back();
    urls.push_back(base + (p.path_prefixes.empty() ? "/..." : p.path_prefixes.front()));
  }
  for (std::string url : urls) {
    std::string after_path = "/api/" + p.route_name;
    std::string base = p.base_url;
    if (auto k = base.find("{key}"); k != std::string::npos) base.replace(k, 5, "<key>");
    while (!base.empty() && base.back() == '/') base.pop_back();
    std::string tail = url.compare(0, base.size(), base) == 0 ? url.substr(base.size()) : "";
    if (!tail.empty() && tail.back() == '/') tail += "...";
    after_path += tail;
    if (!url.empty() && url.back() == '/') url += "...";
    std::string before;
    if (p.auth.kind == "header") {
      std::string name =
          IsIdentifier(p.auth.header_name) ? p.auth.header_name : JsSingle(p.auth.header_name);
      std::string value =
          p.auth.prefix.empty() ? "API_KEY" : JsSingle(p.auth.prefix) + " + API_KEY";
      before = "fetch(" + JsSingle(url) + ", { headers: { " + name + ": " + value + " } })";
    } else if (p.auth.kind == "basic") {
      std::string pair = p.auth.basic_role == "password"
                             ? JsSingle(p.auth.basic_username + ":") + " + API_KEY"
                             : "API_KEY + ':'";
      before = "fetch(" + JsSingle(url) + ", { headers: { Authorization: 'Basic ' + btoa(" + pair +
               ") } })";
    } else if (p.auth.kind == "query") {
      before = "fetch(" + JsSingle(url + "?" + p.auth.query_name + "=") + " + API_KEY)";
    } else {  // path
      std::string quoted = JsSingle(url);
      if (auto k = quoted.find("<key>"); k != std::string::npos)
        quoted.replace(k, 5, "' + API_KEY + '");
      before = "fetch(" + quoted + ")";
    }
    data e;
    e.set("before", before);
    e.set("after", "fetch(" + JsSingle(after_path) + ", { credentials: 'include', " + csrf + " })");
    list.push_back(e);
  }
  return list;
}

std::string FirstFound(const PlannedCredential& p) {
  const FoundAt& f = p.found_at.front();
  return OneLine(f.path + (f.detail.empty() ? "" : " (" + f.detail + ")"));
}

}  // namespace

std::string FunctionName(const std::string& route_name) {
  std::string out;
  bool upper = false;
  for (char c : route_name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    out +=
        upper && !out.empty() ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "route" + out;
  return out;
}

std::vector<std::string> RouteFiles(const PlannedCredential& p,
                                    const std::vector<std::string>& targets) {
  std::vector<std::string> out;
  if (!p.has_route) return out;
  for (const std::string& t : targets) {
    if (t == "nextjs") out.push_back("nextjs/app/api/" + p.route_name + "/[...path]/route.ts");
    if (t == "express") out.push_back("express/routes/" + p.route_name + ".js");
    if (t == "cloudflare") out.push_back("cloudflare/src/" + p.route_name + ".ts");
    if (t == "lambda") out.push_back("lambda/src/" + p.route_name + ".ts");
    if (t == "firebase") out.push_back("firebase/functions/src/" + p.route_name + ".ts");
    if (t == "proxy" && p.auth.kind != "url") out.push_back("proxy/bff.toml");
  }
  return out;
}

kainjow::mustache::data CredentialData(const PlannedCredential& p, int index,
                                       const BffOptions& options) {
  data d;
  auto set_if = [&d](const std::string& key, const std::string& value) {
    if (!value.empty()) d.set(key, value);
  };
  d.set("index", std::to_string(index));
  d.set("fingerprint", OneLine(p.fingerprint));
  d.set("rule_id", OneLine(p.rule_id));
  d.set("rule_name", OneLine(p.rule_name));
  d.set("rule_class", p.rule_class);
  d.set("provider_name", OneLine(p.provider_name));
  d.set("first_found", FirstFound(p));
  set_if("advice", OneLine(p.advice));
  set_if("decides", OneLine(p.decides));
  set_if("docs_url", OneLine(p.docs_url));
  set_if("rotate_url", OneLine(p.rotate_url));
  set_if("rotation_hint", OneLine(p.rotation_hint));
  set_if("env_var", p.env_var);
  d.set("is_secret", p.rule_class == "secret");
  d.set("is_conditional", p.rule_class == "conditional");
  d.set("is_publishable", p.rule_class == "publishable");
  d.set("advice_line", p.rule_class != "publishable" && !p.advice.empty());
  data found{data::type::list};
  for (const FoundAt& f : p.found_at) {
    data item;
    item.set("path", OneLine(f.path));
    if (!f.detail.empty()) item.set("detail", OneLine(f.detail));
    if (f.line != 0) item.set("line", std::to_string(f.line));
    found.push_back(item);
  }
  d.set("found_at", found);

  std::string action = p.rule_class == "publishable" ? "restrict it (may ship)"
                       : p.has_route                 ? "rotate, move behind route"
                                                     : "rotate, keep server-side";
  if (p.rule_class == "conditional") action = "decide secret or public; if secret, rotate";
  d.set("action", action);

  d.set("has_route", p.has_route);
  d.set("no_route_guidance", !p.has_route && p.rule_class != "publishable");
  set_if("no_route_reason", OneLine(p.no_route_reason));
  if (!p.has_route) return d;

  d.set("name", p.route_name);
  d.set("route_name", p.route_name);
  d.set("fn_name", FunctionName(p.route_name));
  d.set("base_url_env_var", p.base_url_env_var);
  d.set("base_url", p.auth.kind == "url" ? "the webhook URL in " + p.env_var : OneLine(p.base_url));
  d.set("auth_description", OneLine(p.auth.description));
  d.set("config", ConfigLiteral(p, options));
  data methods{data::type::list};
  for (const std::string& m : p.methods) methods.push_back(data(m));
  d.set("methods", methods);
  d.set("methods_text", Join(p.methods, ", ", ""));
  d.set("paths_text", p.path_prefixes.empty() ? "none yet (every path is refused)"
                                              : Join(OneLines(p.path_prefixes), ", ", "`"));
  d.set("todo_methods", !p.methods_derived);
  d.set("todo_paths", !p.prefixes_derived);
  d.set("prefixes_derived", p.prefixes_derived);
  std::vector<std::string> extra;
  for (const auto& [k, v] : p.extra_headers) extra.push_back(OneLine(k + ": " + v));
  set_if("extra_headers_text", Join(extra, ", ", "`"));
  d.set("frontend", FrontendExamples(p));

  // bff.toml (docs/proxy-config.md) values, TOML-encoded.
  bool supported = p.auth.kind != "url";
  d.set("proxy_unsupported", !supported);
  d.set("rule_auth", p.auth.kind);
  d.set("toml_name", TomlString(p.route_name));
  d.set("toml_upstream", TomlString(p.base_url));
  d.set("toml_methods", TomlArray(p.methods));
  std::vector<std::string> patterns;
  for (const std::string& prefix : p.path_prefixes) {
    patterns.push_back(prefix == "/"          ? "/**"
                       : prefix.back() == '/' ? prefix + "**"
                                              : prefix + "/**");
  }
  d.set("toml_paths", TomlArray(patterns));
  d.set("toml_query", TomlArray(p.query_names));
  d.set("todo_query", p.query_names.empty());
  d.set("max_body_bytes", std::to_string(options.max_body_bytes));
  d.set("rate_limit", std::to_string(options.rate_limit_per_minute));
  d.set("toml_source", TomlString("env:" + p.env_var));
  d.set("toml_auth", TomlString(p.rule_auth));
  d.set("basic", p.auth.kind == "basic");
  d.set("toml_basic_role", TomlString(p.auth.basic_role));
  d.set("toml_basic_username", TomlString(p.auth.basic_username));
  d.set("has_prefix", !p.auth_prefix.empty());
  d.set("toml_prefix", TomlString(p.auth_prefix));
  d.set("has_extra_headers", !p.extra_headers.empty());
  d.set("toml_extra_headers", TomlInlineTable(p.extra_headers));
  return d;
}

}  // namespace leakproof::proxy::bff
