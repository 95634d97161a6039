// GenerateBff (generator.h): plan the credentials once, then render each target's files
// and the two guides from the embedded templates.
#include "leakproof/proxy/bff/generator.h"

#include "bff/route_data.h"
#include "bff/route_plan.h"
#include "bff/template_store.h"

#include <algorithm>
#include <cctype>
#include <functional>

namespace leakproof::proxy::bff {
namespace {

using kainjow::mustache::data;
using scanner::Result;
using scanner::Status;

// Deno (Supabase Edge Functions, the Hono target) resolves only exact specifiers: the shared
// runtime's extensionless relative imports (`from "./leakproof-bff"`) get their ".ts".
std::string WithTsExtensions(const std::string& code) {
  std::string out;
  out.reserve(code.size() + 64);
  std::size_t at = 0;
  for (;;) {
    std::size_t from = code.find("from \"./", at);
    if (from == std::string::npos) break;
    std::size_t close = code.find('"', from + 6);
    if (close == std::string::npos) break;
    out.append(code, at, close - at);
    std::string_view spec(code.data() + from + 6, close - from - 6);
    if (!spec.ends_with(".ts") && !spec.ends_with(".js") && !spec.ends_with(".json") &&
        spec.find('\n') == std::string_view::npos)
      out += ".ts";
    at = close;
  }
  out.append(code, at, std::string::npos);
  return out;
}

// "OPENAI_API_KEY" -> "openaiApiKey": the Nuxt runtimeConfig key that NUXT_OPENAI_API_KEY
// fills (the same mapping as runtimeConfigKey() in templates/nuxt/nitro-adapter.ts).
std::string RuntimeConfigKey(const std::string& env_var) {
  std::string out;
  bool upper = false;
  for (char c : env_var) {
    if (c == '_') {
      upper = !out.empty();
      continue;
    }
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : lower;
    upper = false;
  }
  return out;
}

// Every secret the routes read, for the targets' READMEs and Nuxt's runtimeConfig: the
// session secret and, per route, its key, the identifier half of a pair and unknown
// template values. `key`: the Nuxt runtimeConfig key; `supabase_name`: the name to give
// `supabase secrets set`, which reserves the SUPABASE_ prefix.
data SecretVars(const std::vector<PlannedCredential>& plans) {
  std::vector<std::string> names = {"SESSION_SECRET"};
  for (const PlannedCredential& p : plans) {
    if (!p.has_route) continue;
    names.push_back(p.env_var);
    if (!p.username_env_var.empty()) names.push_back(p.username_env_var);
    for (const auto& [placeholder, env] : p.template_env) names.push_back(env);
  }
  data list{data::type::list};
  std::vector<std::string> seen;
  for (const std::string& n : names) {
    if (n.empty() || std::find(seen.begin(), seen.end(), n) != seen.end()) continue;
    seen.push_back(n);
    data k;
    k.set("key", RuntimeConfigKey(n));
    k.set("env_var", n);
    k.set("supabase_name", n.starts_with("SUPABASE_") ? "BFF_" + n : n);
    list.push_back(k);
  }
  return list;
}

struct Rendering {
  GeneratedTree tree;
  Status status;

  // The shared runtime (common/*.ts) with Deno-style import specifiers.
  void AddForDeno(const std::string& path, std::string_view tmpl, const data& d) {
    Add(path, tmpl, d);
    if (status.ok()) tree[path] = WithTsExtensions(tree[path]);
  }

  // Renders `tmpl` into `path` unless an earlier step failed.
  void Add(const std::string& path, std::string_view tmpl, const data& d) {
    if (!status.ok()) return;
    auto text = RenderTemplate(tmpl, d);
    if (!text.ok()) {
      status = text.status();
      return;
    }
    tree[path] = std::move(*text);
  }
};

// Nuxt 3/4 (Nitro): one catch-all server route per credential; secrets via useRuntimeConfig.
void RenderNuxt(const std::vector<data>& routes, const data& global, Rendering& r) {
  r.Add("nuxt/server/lib/leakproof-bff.ts", "common/leakproof-bff.ts", global);
  r.Add("nuxt/server/lib/guards.ts", "common/guards.ts", global);
  r.Add("nuxt/server/lib/sessions.ts", "common/sessions.ts", global);
  r.Add("nuxt/server/lib/sigv4.ts", "common/sigv4.ts", global);
  r.Add("nuxt/server/lib/rate-limit-redis.ts", "common/rate-limit-redis.ts", global);
  r.Add("nuxt/server/lib/nitro-adapter.ts", "nuxt/nitro-adapter.ts", global);
  r.Add("nuxt/nuxt.config.ts", "nuxt/nuxt.config.ts.mustache", global);
  r.Add("nuxt/package.json", "nuxt/package.json", global);
  r.Add("nuxt/tsconfig.json", "nuxt/tsconfig.json", global);
  r.Add("nuxt/README.md", "nuxt/README.md.mustache", global);
  for (const data& d : routes) {
    r.Add("nuxt/server/api/" + d.get("name")->string_value() + "/[...path].ts",
          "nuxt/route.ts.mustache", d);
  }
}

// SvelteKit: a +server.ts endpoint per credential; secrets via $env/dynamic/private.
void RenderSvelteKit(const std::vector<data>& routes, const data& global, Rendering& r) {
  r.Add("sveltekit/src/lib/server/leakproof-bff.ts", "common/leakproof-bff.ts", global);
  r.Add("sveltekit/src/lib/server/guards.ts", "common/guards.ts", global);
  r.Add("sveltekit/src/lib/server/sessions.ts", "common/sessions.ts", global);
  r.Add("sveltekit/src/lib/server/sigv4.ts", "common/sigv4.ts", global);
  r.Add("sveltekit/src/lib/server/rate-limit-redis.ts", "common/rate-limit-redis.ts", global);
  r.Add("sveltekit/package.json", "sveltekit/package.json", global);
  r.Add("sveltekit/tsconfig.json", "sveltekit/tsconfig.json", global);
  r.Add("sveltekit/svelte.config.js", "sveltekit/svelte.config.js", global);
  r.Add("sveltekit/vite.config.ts", "sveltekit/vite.config.ts", global);
  r.Add("sveltekit/src/app.html", "sveltekit/app.html", global);
  r.Add("sveltekit/README.md", "sveltekit/README.md.mustache", global);
  for (const data& d : routes) {
    r.Add("sveltekit/src/routes/api/" + d.get("name")->string_value() + "/[...path]/+server.ts",
          "sveltekit/server.ts.mustache", d);
  }
}

// Hono: one app (src/app.ts) with an entry file per runtime (Node, Bun, Deno, Workers).
void RenderHono(const std::vector<data>& routes, const data& global, Rendering& r) {
  r.AddForDeno("hono/src/leakproof-bff.ts", "common/leakproof-bff.ts", global);
  r.AddForDeno("hono/src/guards.ts", "common/guards.ts", global);
  r.AddForDeno("hono/src/sessions.ts", "common/sessions.ts", global);
  r.AddForDeno("hono/src/sigv4.ts", "common/sigv4.ts", global);
  r.AddForDeno("hono/src/rate-limit-redis.ts", "common/rate-limit-redis.ts", global);
  r.Add("hono/src/app.ts", "hono/app.ts.mustache", global);
  r.Add("hono/src/node.ts", "hono/node.ts", global);
  r.Add("hono/src/bun.ts", "hono/bun.ts", global);
  r.Add("hono/src/deno.ts", "hono/deno.ts", global);
  r.Add("hono/src/worker.ts", "hono/worker.ts", global);
  r.Add("hono/package.json", "hono/package.json", global);
  r.Add("hono/tsconfig.json", "hono/tsconfig.json", global);
  r.Add("hono/deno.json", "hono/deno.json", global);
  r.Add("hono/wrangler.toml", "hono/wrangler.toml.mustache", global);
  r.Add("hono/README.md", "hono/README.md.mustache", global);
  for (const data& d : routes) {
    r.Add("hono/src/routes/" + d.get("name")->string_value() + ".ts", "hono/route.ts.mustache", d);
  }
}

// Supabase Edge Functions (Deno): one function per credential, shared code in _shared/.
void RenderSupabase(const std::vector<data>& routes, const data& global, Rendering& r) {
  r.AddForDeno("supabase/functions/_shared/leakproof-bff.ts", "common/leakproof-bff.ts", global);
  r.AddForDeno("supabase/functions/_shared/guards.ts", "common/guards.ts", global);
  r.AddForDeno("supabase/functions/_shared/sessions.ts", "common/sessions.ts", global);
  r.AddForDeno("supabase/functions/_shared/sigv4.ts", "common/sigv4.ts", global);
  r.AddForDeno("supabase/functions/_shared/rate-limit-redis.ts", "common/rate-limit-redis.ts",
               global);
  r.Add("supabase/functions/_shared/edge-adapter.ts", "supabase/edge-adapter.ts", global);
  r.Add("supabase/README.md", "supabase/README.md.mustache", global);
  for (const data& d : routes) {
    const std::string dir = "supabase/functions/" + d.get("name")->string_value();
    r.Add(dir + "/index.ts", "supabase/index.ts.mustache", d);
    r.Add(dir + "/deno.json", "supabase/deno.json", d);
  }
}

void RenderTarget(const std::string& target, const std::vector<data>& routes, const data& global,
                  Rendering& r) {
  if (target == "nextjs") {
    r.Add("nextjs/lib/leakproof-bff.ts", "common/leakproof-bff.ts", global);
    r.Add("nextjs/lib/guards.ts", "common/guards.ts", global);
    r.Add("nextjs/lib/sessions.ts", "common/sessions.ts", global);
    r.Add("nextjs/lib/sigv4.ts", "common/sigv4.ts", global);
    r.Add("nextjs/lib/rate-limit-redis.ts", "common/rate-limit-redis.ts", global);
    r.Add("nextjs/README.md", "nextjs/README.md.mustache", global);
    for (const data& d : routes) {
      r.Add("nextjs/app/api/" + d.get("name")->string_value() + "/[...path]/route.ts",
            "nextjs/route.ts.mustache", d);
    }
  } else if (target == "express") {
    r.Add("express/lib/leakproof-bff.js", "express/leakproof-bff.js", global);
    r.Add("express/lib/guards.js", "express/guards.js", global);
    r.Add("express/lib/sessions.js", "express/sessions.js", global);
    r.Add("express/lib/sigv4.js", "express/sigv4.js", global);
    r.Add("express/lib/rate-limit-redis.js", "express/rate-limit-redis.js", global);
    r.Add("express/server.js", "express/server.js.mustache", global);
    r.Add("express/package.json", "express/package.json", global);
    r.Add("express/Dockerfile", "express/Dockerfile.mustache", global);
    r.Add("express/README.md", "express/README.md.mustache", global);
    for (const data& d : routes) {
      r.Add("express/routes/" + d.get("name")->string_value() + ".js", "express/route.js.mustache",
            d);
    }
  } else if (target == "cloudflare") {
    r.Add("cloudflare/src/leakproof-bff.ts", "common/leakproof-bff.ts", global);
    r.Add("cloudflare/src/guards.ts", "common/guards.ts", global);
    r.Add("cloudflare/src/sessions.ts", "common/sessions.ts", global);
    r.Add("cloudflare/src/sigv4.ts", "common/sigv4.ts", global);
    r.Add("cloudflare/src/index.ts", "cloudflare/index.ts.mustache", global);
    r.Add("cloudflare/wrangler.toml", "cloudflare/wrangler.toml.mustache", global);
    r.Add("cloudflare/package.json", "cloudflare/package.json", global);
    r.Add("cloudflare/tsconfig.json", "cloudflare/tsconfig.json", global);
    r.Add("cloudflare/README.md", "cloudflare/README.md.mustache", global);
    for (const data& d : routes) {
      r.Add("cloudflare/src/" + d.get("name")->string_value() + ".ts",
            "cloudflare/route.ts.mustache", d);
    }
  } else if (target == "lambda") {
    r.Add("lambda/src/leakproof-bff.ts", "common/leakproof-bff.ts", global);
    r.Add("lambda/src/guards.ts", "common/guards.ts", global);
    r.Add("lambda/src/sessions.ts", "common/sessions.ts", global);
    r.Add("lambda/src/sigv4.ts", "common/sigv4.ts", global);
    r.Add("lambda/src/rate-limit-dynamodb.ts", "lambda/rate-limit-dynamodb.ts", global);
    r.Add("lambda/src/lambda-adapter.ts", "lambda/lambda-adapter.ts", global);
    r.Add("lambda/package.json", "lambda/package.json", global);
    r.Add("lambda/tsconfig.json", "lambda/tsconfig.json", global);
    r.Add("lambda/template.yaml", "lambda/template.yaml.mustache", global);
    r.Add("lambda/README.md", "lambda/README.md.mustache", global);
    for (const data& d : routes) {
      r.Add("lambda/src/" + d.get("name")->string_value() + ".ts", "lambda/route.ts.mustache", d);
    }
  } else if (target == "firebase") {
    r.Add("firebase/functions/src/leakproof-bff.ts", "common/leakproof-bff.ts", global);
    r.Add("firebase/functions/src/guards.ts", "common/guards.ts", global);
    r.Add("firebase/functions/src/sessions.ts", "common/sessions.ts", global);
    r.Add("firebase/functions/src/sigv4.ts", "common/sigv4.ts", global);
    r.Add("firebase/functions/src/rate-limit-firestore.ts", "firebase/rate-limit-firestore.ts",
          global);
    r.Add("firebase/functions/src/firebase-adapter.ts", "firebase/firebase-adapter.ts", global);
    r.Add("firebase/functions/src/index.ts", "firebase/index.ts.mustache", global);
    r.Add("firebase/firebase.json", "firebase/firebase.json.mustache", global);
    r.Add("firebase/functions/package.json", "firebase/package.json", global);
    r.Add("firebase/functions/tsconfig.json", "firebase/tsconfig.json", global);
    r.Add("firebase/README.md", "firebase/README.md.mustache", global);
    for (const data& d : routes) {
      r.Add("firebase/functions/src/" + d.get("name")->string_value() + ".ts",
            "firebase/route.ts.mustache", d);
    }
  } else if (target == "nuxt") {
    RenderNuxt(routes, global, r);
  } else if (target == "sveltekit") {
    RenderSvelteKit(routes, global, r);
  } else if (target == "hono") {
    RenderHono(routes, global, r);
  } else if (target == "supabase") {
    RenderSupabase(routes, global, r);
  } else if (target == "proxy") {
    r.Add("proxy/bff.toml", "proxy/bff.toml.mustache", global);
  }
}

}  // namespace

const std::vector<std::string>& KnownTargets() {
  static const std::vector<std::string> kTargets = {"nextjs",   "express", "cloudflare", "lambda",
                                                    "firebase", "nuxt",    "sveltekit",  "hono",
                                                    "supabase", "proxy"};
  return kTargets;
}

Result<std::vector<std::string>> ParseTargets(const std::string& spec) {
  std::vector<std::string> wanted;
  std::size_t start = 0;
  while (start <= spec.size()) {
    std::size_t comma = spec.find(',', start);
    if (comma == std::string::npos) comma = spec.size();
    std::string name = spec.substr(start, comma - start);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    start = comma + 1;
    if (name.empty()) continue;
    if (name == "all") {
      wanted = KnownTargets();
      continue;
    }
    const auto& known = KnownTargets();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return Status::InvalidArgument(
          "unknown target \"" + name +
          "\" (expected nextjs, express, cloudflare, lambda, firebase, nuxt, sveltekit, hono, "
          "supabase, proxy or all)");
    }
    wanted.push_back(name);
  }
  std::vector<std::string> out;
  for (const std::string& t : KnownTargets()) {
    if (std::find(wanted.begin(), wanted.end(), t) != wanted.end()) out.push_back(t);
  }
  if (out.empty()) return Status::InvalidArgument("no target given");
  return out;
}

Result<GeneratedTree> GenerateBff(const std::vector<CredentialInput>& credentials,
                                  const scanner::RuleSet& rules, const BffOptions& options) {
  std::vector<PlannedCredential> plans = PlanCredentials(credentials, rules);

  data all{data::type::list};
  data routes_list{data::type::list};
  data env_entries{data::type::list};
  data service_role{data::type::list};  // Supabase service_role keys: the supabase README's plan
  std::vector<data> routes;
  int index = 0;
  for (const PlannedCredential& p : plans) {
    data d = CredentialData(p, ++index, options);
    std::string files;
    for (const std::string& f : RouteFiles(p, options.targets))
      files += (files.empty() ? "`" : ", `") + f + "`";
    d.set("files_text", files.empty() ? std::string("none (no route target chosen)") : files);
    all.push_back(d);
    if (p.rule_id == "supabase.service-role-key") service_role.push_back(d);
    if (p.has_route) {
      routes.push_back(d);
      routes_list.push_back(d);
    }
    if (!p.env_var.empty()) {
      data e = d;
      e.set("usage", p.has_route
                         ? "Read by the /api/" + p.route_name + "/ route."
                         : std::string("Used by your own server code (no generated route)."));
      e.set("rotate_where", p.rotate_url.empty() ? "provider dashboard" : p.rotate_url);
      if (!p.has_route) e.set("base_url_env_var", data(false));
      env_entries.push_back(e);
    }
  }

  std::string targets_text;
  for (const std::string& t : options.targets)
    targets_text += (targets_text.empty() ? "" : ", ") + t;
  data global;
  global.set("routes", routes_list);
  global.set("credentials", all);
  global.set("env_entries", env_entries);
  global.set("targets", targets_text.empty() ? std::string("none (guides only)") : targets_text);
  global.set("max_body_bytes", std::to_string(options.max_body_bytes));
  global.set("rate_limit", std::to_string(options.rate_limit_per_minute));
  global.set("secret_vars", SecretVars(plans));
  global.set("has_service_role", !service_role.is_empty_list());
  global.set("service_role_keys", service_role);

  Rendering r;
  for (const std::string& target : options.targets) {
    const auto& known = KnownTargets();
    if (std::find(known.begin(), known.end(), target) == known.end()) {
      return Status::InvalidArgument("unknown target \"" + target + "\"");
    }
    RenderTarget(target, routes, global, r);
  }
  r.Add("MIGRATION.md", "guide/MIGRATION.md.mustache", global);
  r.Add(".env.example", "guide/env.example.mustache", global);
  if (!r.status.ok()) return r.status;
  return std::move(r.tree);
}

Status CheckNoSecrets(const GeneratedTree& tree, const std::vector<std::string>& secrets) {
  for (const auto& [path, content] : tree) {
    for (const std::string& secret : secrets) {
      if (secret.size() >= 8 && content.find(secret) != std::string::npos) {
        return Status::InvalidArgument("refusing to write: " + path +
                                       " would contain a scanned secret (please report this bug)");
      }
    }
  }
  return Status::Ok();
}

}  // namespace leakproof::proxy::bff
