// Generator behaviour beyond the golden files: naming, dedupe, auth mapping, allowlists,
// secrets kept out, target parsing, and the writer's refusals.
#include "leakproof/proxy/bff/credential.h"
#include "leakproof/proxy/bff/generator.h"
#include "leakproof/proxy/bff/rotation.h"
#include "leakproof/proxy/bff/writer.h"

#include "bff/bff_test_support.h"
#include "bff/context_urls.h"

#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

namespace fs = std::filesystem;
namespace bff = leakproof::proxy::bff;
using leakproof::bff_test::BffTestDir;
using leakproof::bff_test::FixtureRules;
using leakproof::bff_test::Generate;
using leakproof::bff_test::ReadFile;

namespace {

bff::CredentialInput Cred(std::string rule, std::string print, std::vector<std::string> urls = {}) {
  bff::CredentialInput c;
  c.rule_id = std::move(rule);
  c.fingerprint = std::move(print);
  c.location_path = "app.apk!index.bundle";
  c.context_urls = std::move(urls);
  return c;
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "leakproof-bff-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("path prefixes come from context URLs and stop at ids") {
  CHECK(bff::PathPrefixUnder("https://api.openai.com/v1",
                             "https://api.openai.com/v1/chat/completions") == "/chat/completions");
  CHECK(bff::PathPrefixUnder("https://api.stripe.com",
                             "https://api.stripe.com/v1/customers/cus_9s8d7f6g5h4j") ==
        "/v1/customers/");
  CHECK(bff::PathPrefixUnder("https://api.telegram.org/bot{key}",
                             "https://api.telegram.org/bot123:AAfake/sendMessage") ==
        "/sendMessage");
  CHECK_FALSE(
      bff::PathPrefixUnder("https://api.openai.com/v1", "https://evil.example/v1/x").has_value());
  CHECK_FALSE(
      bff::PathPrefixUnder("https://api.openai.com/v1", "https://api.openai.com/v2/x").has_value());
  CHECK(bff::LooksDynamic("12345"));
  CHECK(bff::LooksDynamic("sk-proj-abc123def456"));
  CHECK_FALSE(bff::LooksDynamic("completions"));
}

TEST_CASE("report reader keeps query names, drops query values, finds methods") {
  auto creds = bff::CredentialsFromReport(
      R"json({"findings":[{"rule_id":"serpapi.api-key","fingerprint":"ab",
    "snippet":"fetch(u, {method: 'post'})",
    "context_urls":["https://serpapi.com/search.json?q=x&api_key=SECRETVALUE123#frag"]}]
})json");
  REQUIRE(creds.ok());
  REQUIRE(creds->size() == 1);
  CHECK((*creds)[0].context_urls ==
        std::vector<std::string>{"https://serpapi.com/search.json?q&api_key"});
  CHECK(bff::QueryNames((*creds)[0].context_urls[0]) == std::vector<std::string>{"q", "api_key"});
  CHECK((*creds)[0].methods_seen == std::vector<std::string>{"POST"});
  CHECK_FALSE(bff::CredentialsFromReport("{\"nope\":1}").ok());
  auto jsonl = bff::CredentialsFromReport(
      "{\"rule_id\":\"openai.project-key\",\"fingerprint\":\"1\"}\n{\"type\":\"summary\"}\n");
  REQUIRE(jsonl.ok());
  CHECK(jsonl->size() == 1);
}

TEST_CASE("same fingerprint twice is one route; a second key of a provider gets _2 names") {
  auto tree = Generate({Cred("stripe.secret-key", "aa"), Cred("stripe.secret-key", "aa"),
                        Cred("stripe.secret-key", "bb")},
                       "express");
  CHECK(tree.count("express/routes/stripe.js") == 1);
  CHECK(tree.count("express/routes/stripe-2.js") == 1);
  CHECK(tree.count("express/routes/stripe-3.js") == 0);
  const std::string& env = tree.at(".env.example");
  CHECK(env.find("\nSTRIPE_SECRET_KEY=\n") != std::string::npos);
  CHECK(env.find("\nSTRIPE_SECRET_KEY_2=\n") != std::string::npos);
  CHECK(tree.at("express/routes/stripe-2.js").find("\"envVar\": \"STRIPE_SECRET_KEY_2\"") !=
        std::string::npos);
  CHECK(tree.at("express/routes/stripe-2.js").find("\"baseUrlEnvVar\": \"STRIPE_2_BASE_URL\"") !=
        std::string::npos);
}

TEST_CASE("auth kinds map to the provider's scheme") {
  auto tree = Generate({Cred("mailgun.api-key", "m"), Cred("anthropic.api-key", "a"),
                        Cred("telegram.bot-token", "t"), Cred("serpapi.api-key", "s")},
                       "express");
  CHECK(tree.at("express/routes/mailgun.js").find(R"("kind": "basic",
    "role": "password",
    "username": "api")") != std::string::npos);
  CHECK(tree.at("express/routes/anthropic.js").find(R"("name": "x-api-key")") != std::string::npos);
  CHECK(tree.at("express/routes/anthropic.js").find(R"("anthropic-version": "2023-06-01")") !=
        std::string::npos);
  CHECK(tree.at("express/routes/telegram.js").find(R"("kind": "path")") != std::string::npos);
  CHECK(tree.at("express/routes/serpapi.js").find(R"("kind": "query",
    "name": "api_key")") != std::string::npos);
}

TEST_CASE("no context URL: nothing opened, a TODO, and the bff.toml route left commented") {
  auto tree = Generate({Cred("openai.project-key", "o")}, "nextjs,proxy");
  const std::string& route = tree.at("nextjs/app/api/openai/[...path]/route.ts");
  CHECK(route.find("TODO(leakproof)") != std::string::npos);
  CHECK(route.find(R"("operations": [])") != std::string::npos);
  CHECK(tree.at("proxy/bff.toml").find("[[routes]]") == std::string::npos);
  CHECK(tree.at("MIGRATION.md").find("**decide:**") != std::string::npos);
}

TEST_CASE("publishable and auth=none credentials get guidance, no route") {
  auto tree = Generate(
      {Cred("google-maps.browser-key", "g"), Cred("gcp.service-account-private-key", "p")});
  for (const auto& [path, content] : tree) {
    CHECK(path.find("google-maps") == std::string::npos);
    CHECK(path.find("gcp") == std::string::npos);
  }
  const std::string& guide = tree.at("MIGRATION.md");
  CHECK(guide.find("HTTP-referrer and API restrictions") != std::string::npos);
  CHECK(guide.find("No route generated") != std::string::npos);
}

TEST_CASE("a secret in a context URL never reaches the output") {
  const std::string token = "987654321:AAHsecretsecretsecretsecretsecret12";
  auto creds =
      bff::CredentialsFromReport(R"({"findings":[{"rule_id":"telegram.bot-token","fingerprint":"t",
    "context_urls":["https://api.telegram.org/bot)" +
                                 token + R"(/sendMessage?chat_id=1"]}]})");
  REQUIRE(creds.ok());
  auto tree = Generate(*creds);
  for (const auto& [path, content] : tree) {
    INFO(path);
    CHECK(content.find("AAHsecret") == std::string::npos);
  }
  CHECK(tree.at("express/routes/telegram.js").find("\"/sendMessage\"") != std::string::npos);
  CHECK(bff::CheckNoSecrets(tree, {token}).ok());
  bff::GeneratedTree bad{{"x.js", "const k = '" + token + "';"}};
  CHECK_FALSE(bff::CheckNoSecrets(bad, {token}).ok());
}

TEST_CASE("targets parse, dedupe and reject unknown names") {
  CHECK(*bff::ParseTargets("proxy,express,express") ==
        std::vector<std::string>{"express", "proxy"});
  CHECK(bff::ParseTargets("all")->size() == 10);
  CHECK(*bff::ParseTargets("supabase,nuxt,hono,sveltekit") ==
        std::vector<std::string>{"nuxt", "sveltekit", "hono", "supabase"});
  CHECK_FALSE(bff::ParseTargets("nextjs,rails").ok());
  CHECK_FALSE(bff::ParseTargets("").ok());
}

TEST_CASE("new targets: a file per route, Deno import specifiers, Nuxt runtimeConfig keys") {
  auto tree = Generate({Cred("stripe.secret-key", "aa"), Cred("stripe.secret-key", "bb")},
                       "nuxt,sveltekit,hono,supabase");
  for (const std::string route : {"stripe", "stripe-2"}) {
    INFO(route);
    CHECK(tree.count("nuxt/server/api/" + route + "/[...path].ts") == 1);
    CHECK(tree.count("sveltekit/src/routes/api/" + route + "/[...path]/+server.ts") == 1);
    CHECK(tree.count("hono/src/routes/" + route + ".ts") == 1);
    CHECK(tree.count("supabase/functions/" + route + "/index.ts") == 1);
    CHECK(tree.count("supabase/functions/" + route + "/deno.json") == 1);
  }
  // Deno resolves exact specifiers only: the shared runtime's relative imports get ".ts"
  // there, and keep their Node/bundler form everywhere else.
  const std::string& deno_guards = tree.at("supabase/functions/_shared/guards.ts");
  CHECK(deno_guards.find(R"(from "./leakproof-bff.ts")") != std::string::npos);
  CHECK(deno_guards.find(R"(from "./leakproof-bff")") == std::string::npos);
  CHECK(deno_guards.find(R"(from "zod")") != std::string::npos);  // bare: deno.json maps it
  CHECK(tree.at("hono/src/guards.ts").find(R"(from "./leakproof-bff.ts")") != std::string::npos);
  CHECK(tree.at("nuxt/server/lib/guards.ts").find(R"(from "./leakproof-bff")") !=
        std::string::npos);
  // Every secret a route reads is declared (empty) so NUXT_<VAR> can fill it.
  const std::string& config = tree.at("nuxt/nuxt.config.ts");
  CHECK(config.find(R"(sessionSecret: "", // NUXT_SESSION_SECRET)") != std::string::npos);
  CHECK(config.find(R"(stripeSecretKey: "", // NUXT_STRIPE_SECRET_KEY)") != std::string::npos);
  CHECK(config.find(R"(stripeSecretKey2: "", // NUXT_STRIPE_SECRET_KEY_2)") != std::string::npos);
  // The Hono app routes to both; the SvelteKit endpoint exports only the methods seen.
  const std::string& app = tree.at("hono/src/app.ts");
  CHECK(app.find(R"(import * as stripe2 from "./routes/stripe-2.ts";)") != std::string::npos);
}

TEST_CASE("supabase target: a service_role key gets no function, and its README says so") {
  auto tree = Generate(
      {Cred("supabase.service-role-key", "sr", {"https://xyzproject.supabase.co/rest/v1/orders"}),
       Cred("stripe.secret-key", "aa")},
      "supabase");
  CHECK(tree.count("supabase/functions/stripe/index.ts") == 1);
  for (const auto& [path, content] : tree) {
    INFO(path);
    CHECK(path.find("functions/supabase") == std::string::npos);
  }
  const std::string& readme = tree.at("supabase/README.md");
  CHECK(readme.find("This scan found one in the client** (`app.apk!index.bundle`") !=
        std::string::npos);
  CHECK(readme.find("SUPABASE_SERVICE_ROLE_KEY") != std::string::npos);
  auto without = Generate({Cred("stripe.secret-key", "aa")}, "supabase");
  CHECK(without.at("supabase/README.md").find("This scan found one") == std::string::npos);
}

TEST_CASE("rotation hint names the rotate URL for secrets and what decides for conditionals") {
  auto rules = FixtureRules();
  const auto* openai = rules.FindRule("openai.project-key");
  REQUIRE(openai != nullptr);
  CHECK(bff::RotationHint(*openai, rules).find("https://platform.openai.com/api-keys") !=
        std::string::npos);
  const auto* google = rules.FindRule("google.api-key");
  REQUIRE(google != nullptr);
  CHECK(bff::RotationHint(*google, rules).find("Check whether") != std::string::npos);
}

TEST_CASE("writer refuses to escape --out and to overwrite without --force") {
  TempDir tmp;
  const fs::path out = tmp.path / "out";
  CHECK_FALSE(bff::WriteTree({{"../escape.txt", "x"}}, out.string(), false).ok());
  CHECK_FALSE(bff::WriteTree({{"/abs.txt", "x"}}, out.string(), false).ok());
  CHECK_FALSE(fs::exists(tmp.path / "escape.txt"));
  fs::create_directories(tmp.path / "elsewhere");
  fs::create_symlink(tmp.path / "elsewhere", out / "link");
  CHECK_FALSE(bff::WriteTree({{"link/x.txt", "x"}}, out.string(), false).ok());
  CHECK_FALSE(fs::exists(tmp.path / "elsewhere" / "x.txt"));

  REQUIRE(bff::WriteTree({{"a/b.txt", "one"}}, out.string(), false).ok());
  CHECK(ReadFile(out / "a" / "b.txt") == "one");
  CHECK_FALSE(bff::WriteTree({{"a/b.txt", "two"}, {"c.txt", "x"}}, out.string(), false).ok());
  CHECK_FALSE(fs::exists(out / "c.txt"));  // nothing written when one file is refused
  CHECK(ReadFile(out / "a" / "b.txt") == "one");
  REQUIRE(bff::WriteTree({{"a/b.txt", "two"}}, out.string(), true).ok());
  CHECK(ReadFile(out / "a" / "b.txt") == "two");
}
