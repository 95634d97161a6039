// GenerateBff (generator.h): plan the credentials once, then render each target's files
// and the two guides from the embedded templates.
#include "leakproof/proxy/bff/generator.h"

#include "bff/route_data.h"
#include "bff/route_plan.h"
#include "bff/template_store.h"

#include <algorithm>
#include <functional>

namespace leakproof::proxy::bff {
namespace {

using kainjow::mustache::data;
using scanner::Result;
using scanner::Status;

struct Rendering {
  GeneratedTree tree;
  Status status;

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
  } else if (target == "proxy") {
    r.Add("proxy/bff.toml", "proxy/bff.toml.mustache", global);
  }
}

}  // namespace

const std::vector<std::string>& KnownTargets() {
  static const std::vector<std::string> kTargets = {"nextjs", "express",  "cloudflare",
                                                    "lambda", "firebase", "proxy"};
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
          "\" (expected nextjs, express, cloudflare, lambda, firebase, proxy or all)");
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
  std::vector<data> routes;
  int index = 0;
  for (const PlannedCredential& p : plans) {
    data d = CredentialData(p, ++index, options);
    std::string files;
    for (const std::string& f : RouteFiles(p, options.targets))
      files += (files.empty() ? "`" : ", `") + f + "`";
    d.set("files_text", files.empty() ? std::string("none (no route target chosen)") : files);
    all.push_back(d);
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
