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
    if (!p.username_env_var.empty()) auth["usernameEnvVar"] = p.username_env_var;
  } else if (p.auth.kind == "query") {
    auth["name"] = p.auth.query_name;
  } else if (p.auth.kind == "sigv4") {
    auth["service"] = p.auth.sigv4_service;
    auth["region"] = p.auth.sigv4_region;
    auth["accessKeyIdEnvVar"] = p.username_env_var;
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
  nlohmann::ordered_json templ = nlohmann::ordered_json::object();
  for (const auto& [k, v] : p.template_env) templ[k] = v;
  c["templateEnv"] = templ;
  c["methods"] = p.methods;
  nlohmann::ordered_json ops = nlohmann::ordered_json::array();
  for (const Operation& op : p.operations) {
    nlohmann::ordered_json o;
    o["method"] = op.method;
    o["path"] = op.path;
    if (op.body) {
      nlohmann::ordered_json b;
      b["kind"] = op.body->kind;
      b["keys"] = op.body->keys;
      o["body"] = b;
    }
    ops.push_back(o);
  }
  c["operations"] = ops;
  c["query"] = p.query_names;
  c["requestHeaders"] = p.request_headers;
  c["maxBodyBytes"] = options.max_body_bytes;
  c["rateLimitPerMinute"] = options.rate_limit_per_minute;
  c["upstreamTimeoutMs"] = options.upstream_timeout_ms;
  c["mobile"] = p.mobile;
  nlohmann::ordered_json guard;
  guard["kind"] = p.guard_kind;
  guard["models"] = p.models;
  guard["maxTokens"] = 1024;
  c["guard"] = guard;
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
  std::string base = p.base_url;
  if (auto k = base.find("{key}"); k != std::string::npos) base.replace(k, 5, "<key>");
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::vector<Operation> ops = p.operations;
  if (ops.empty()) ops.push_back({"POST", "/...", false, "", std::nullopt});
  for (const Operation& op : ops) {
    // "/v1/customers/*" -> "/v1/customers/${id}" in a template literal.
    std::string path = op.path;
    for (std::size_t at = path.find('*'); at != std::string::npos; at = path.find('*', at))
      path.replace(at, 1, "${id}");
    std::string url = base + (path == "/" ? "" : path);
    const bool templ = path.find("${") != std::string::npos;
    auto quote = [&](const std::string& text) { return templ ? "`" + text + "`" : JsSingle(text); };
    std::string method = op.method == "GET" ? "" : "method: '" + op.method + "', ";
    std::string before;
    if (p.auth.kind == "header") {
      std::string name =
          IsIdentifier(p.auth.header_name) ? p.auth.header_name : JsSingle(p.auth.header_name);
      std::string value =
          p.auth.prefix.empty() ? "API_KEY" : JsSingle(p.auth.prefix) + " + API_KEY";
      before =
          "fetch(" + quote(url) + ", { " + method + "headers: { " + name + ": " + value + " } })";
    } else if (p.auth.kind == "basic") {
      std::string pair = p.auth.basic_role == "password"
                             ? (p.username_env_var.empty() ? JsSingle(p.auth.basic_username + ":")
                                                           : std::string("ACCOUNT_ID + ':'")) +
                                   " + API_KEY"
                             : "API_KEY + ':'";
      before = "fetch(" + quote(url) + ", { " + method +
               "headers: { Authorization: 'Basic ' + btoa(" + pair + ") } })";
    } else if (p.auth.kind == "query") {
      before = "fetch(" + quote(url + "?" + p.auth.query_name + "=") + " + API_KEY)";
    } else {  // path
      std::string quoted = quote(url);
      if (auto k = quoted.find("<key>"); k != std::string::npos)
        quoted.replace(k, 5, templ ? "${API_KEY}" : "' + API_KEY + '");
      before = "fetch(" + quoted + (method.empty() ? "" : ", { " + method + "}") + ")";
    }
    std::string after_path = "/api/" + p.route_name + (path == "/" ? "" : path);
    data e;
    e.set("before", before);
    e.set("after", "fetch(" + quote(after_path) + ", { " + method + "credentials: 'include', " +
                       csrf + (op.method == "GET" ? "" : ", body") + " })");
    list.push_back(e);
  }
  return list;
}

// How to keep a provider's browser SDK instead of a route, where that is the better fix.
std::string SdkNote(const PlannedCredential& p) {
  if (p.provider_id == "algolia") {
    return "For search, keep `algoliasearch(APP_ID, SEARCH_KEY)` in the client with a new "
           "search-only key (ACL `search`, ideally a secured key with filters) and send only "
           "writes through this route; revoke the shipped key.";
  }
  if (p.provider_id == "supabase") {
    return "Reads of the user's own rows can stay in the client: `createClient(SUPABASE_URL, "
           "ANON_KEY)` (supabase-js) with Row Level Security policies on every table; keep "
           "the secret key for this route only.";
  }
  if (p.provider_id == "stripe") {
    return "Card entry stays in the client with Stripe.js and the publishable key "
           "(`loadStripe('pk_...')`); only the server creates PaymentIntents.";
  }
  return "";
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
    if (t == "nuxt") out.push_back("nuxt/server/api/" + p.route_name + "/[...path].ts");
    if (t == "sveltekit")
      out.push_back("sveltekit/src/routes/api/" + p.route_name + "/[...path]/+server.ts");
    if (t == "hono") out.push_back("hono/src/routes/" + p.route_name + ".ts");
    if (t == "supabase") out.push_back("supabase/functions/" + p.route_name + "/index.ts");
    if (t == "proxy" && p.auth.kind != "url" && p.auth.kind != "sigv4")
      out.push_back("proxy/bff.toml");
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
  if (p.identifier_only) action = "none: an identifier (keep it with its secret half)";
  d.set("action", action);
  d.set("identifier_only", p.identifier_only);
  d.set("rotate", !p.identifier_only && p.rule_class != "publishable");

  data ids{data::type::list};
  for (const PairedIdentifier& id : p.identifiers) {
    data i;
    i.set("rule_id", OneLine(id.rule_id));
    i.set("rule_name", OneLine(id.rule_name));
    i.set("env_var", id.env_var);
    std::string where;
    for (const FoundAt& f : id.found_at) {
      where += (where.empty() ? "" : ", ") + OneLine(f.path) +
               (f.line != 0 ? ":" + std::to_string(f.line) : std::string());
    }
    i.set("found", where);
    ids.push_back(i);
  }
  d.set("identifiers", ids);
  d.set("has_identifiers", !p.identifiers.empty());
  set_if("also_matched", Join(OneLines(p.also_matched), ", ", "`"));
  data undecided{data::type::list};
  for (const UndecidedOperation& u : p.undecided) {
    data o;
    o.set("method", u.method);
    o.set("path", OneLine(u.path));
    o.set("reason", OneLine(u.reason));
    undecided.push_back(o);
  }
  d.set("undecided", undecided);
  d.set("has_undecided", !p.undecided.empty());

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
  d.set("paths_text",
        p.paths.empty() ? "none yet (every path is refused)" : Join(OneLines(p.paths), ", ", "`"));
  d.set("todo_methods", !p.methods_derived && !p.operations.empty());
  d.set("todo_methods_from_report", !p.methods_derived && !p.operations.empty() && p.from_report);
  d.set("todo_paths", p.operations.empty());
  data ops{data::type::list};
  for (const Operation& op : p.operations) {
    data o;
    o.set("method", op.method);
    o.set("path", OneLine(op.path));
    o.set("source", OneLine(op.source));
    ops.push_back(o);
  }
  d.set("operations", ops);
  std::vector<std::string> extra;
  for (const auto& [k, v] : p.extra_headers) extra.push_back(OneLine(k + ": " + v));
  set_if("extra_headers_text", Join(extra, ", ", "`"));
  d.set("frontend", FrontendExamples(p));
  set_if("sdk_note", OneLine(SdkNote(p)));
  data templ{data::type::list};
  for (const auto& [name, env] : p.template_env) {
    data t;
    t.set("placeholder", "{" + name + "}");
    t.set("env_var", env);
    templ.push_back(t);
  }
  d.set("template_env", templ);
  d.set("has_template_env", !p.template_env.empty());

  // bff.toml (docs/proxy-config.md) values, TOML-encoded. The proxy reads a literal
  // upstream, so a route with an unknown host is written commented out with the reason.
  // A key pair's identifier half is a second reference (basic_username_source).
  std::string unsupported;
  if (p.auth.kind == "url") {
    unsupported =
        "`leakproof proxy` does not support auth \"url\" (webhooks) yet; use another target.";
  } else if (p.auth.kind == "sigv4") {
    unsupported = "`leakproof proxy` does not sign AWS Signature V4 requests; use another target.";
  } else if (!p.template_env.empty()) {
    unsupported = "the upstream host is not known yet: set ";
    for (const auto& [name, env] : p.template_env) unsupported += "{" + name + "} ";
    unsupported += "in `upstream` and uncomment.";
  } else if (p.operations.empty()) {
    unsupported = "no API call was seen next to the key; add `paths` the app calls and uncomment.";
  }
  d.set("proxy_unsupported", !unsupported.empty());
  set_if("proxy_unsupported_reason", OneLine(unsupported));
  d.set("rule_auth", p.auth.kind);
  d.set("sigv4", p.auth.kind == "sigv4");  // the stubs import the signer (sigv4.ts)
  d.set("toml_name", TomlString(p.route_name));
  d.set("toml_upstream", TomlString(p.base_url));
  d.set("toml_methods", TomlArray(p.methods));
  d.set("toml_paths", TomlArray(p.paths));
  d.set("toml_query", TomlArray(p.query_names));
  d.set("todo_query", p.query_names.empty());
  d.set("max_body_bytes", std::to_string(options.max_body_bytes));
  d.set("rate_limit", std::to_string(options.rate_limit_per_minute));
  d.set("timeout_ms", std::to_string(options.upstream_timeout_ms));
  d.set("toml_source", TomlString("env:" + p.env_var));
  d.set("toml_auth", TomlString(p.rule_auth));
  d.set("basic", p.auth.kind == "basic");
  d.set("toml_basic_role", TomlString(p.auth.basic_role));
  d.set("toml_basic_username", TomlString(p.auth.basic_username));
  d.set("basic_pair", !p.username_env_var.empty());
  d.set("toml_basic_username_source", TomlString("env:" + p.username_env_var));
  // The proxy forwards accept/content-type/idempotency-key... by default; the provider's
  // own headers (stripe-version, openai-beta) must be listed.
  // Headers the route injects itself (extra_headers such as Stripe-Version, the auth
  // header) are never taken from the client: the proxy refuses them in forward_headers.
  auto lower = [](std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  };
  std::vector<std::string> forward;
  for (const std::string& h : p.request_headers) {
    if (h == "accept" || h == "content-type" || h == "idempotency-key") continue;
    bool injected = p.auth.kind == "header" && lower(p.auth.header_name) == h;
    for (const auto& [name, value] : p.extra_headers) injected = injected || lower(name) == h;
    if (!injected) forward.push_back(h);
  }
  d.set("has_forward_headers", !forward.empty());
  d.set("toml_forward_headers", TomlArray(forward));
  d.set("mobile", p.mobile);
  d.set("has_prefix", !p.auth_prefix.empty());
  d.set("toml_prefix", TomlString(p.auth_prefix));
  d.set("has_extra_headers", !p.extra_headers.empty());
  d.set("toml_extra_headers", TomlInlineTable(p.extra_headers));
  return d;
}

}  // namespace leakproof::proxy::bff
