// The planner's answers to issue 13's defects: key pairs, template hosts, one answer per
// key, per-host query allowlists, methods from call sites, header allowlists, and the
// bff.toml the proxy accepts. Fake keys are never needed: the planner sees no secret.
#include "leakproof/proxy/bff/credential.h"
#include "leakproof/proxy/bff/generator.h"

#include "bff/bff_test_support.h"
#include "bff/route_plan.h"
#include "bff/template_values.h"

#include <catch2/catch.hpp>

#include <algorithm>

namespace bff = leakproof::proxy::bff;
using leakproof::bff_test::FixtureRules;
using leakproof::bff_test::Generate;

namespace {

bff::CredentialInput Cred(std::string rule, std::string print, std::vector<std::string> urls = {},
                          std::string path = "dist/assets/index-4f2a.js", std::uint32_t line = 1) {
  bff::CredentialInput c;
  c.rule_id = std::move(rule);
  c.fingerprint = std::move(print);
  c.location_path = std::move(path);
  c.line = line;
  c.context_urls = std::move(urls);
  return c;
}

const bff::PlannedCredential* Find(const std::vector<bff::PlannedCredential>& plans,
                                   const std::string& rule_id) {
  for (const auto& p : plans)
    if (p.rule_id == rule_id) return &p;
  return nullptr;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("defect 1: Twilio SID + token are one route with both halves; the SID is not rotated") {
  auto rules = FixtureRules();
  const std::string msgs = "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages.json";
  auto plans = bff::PlanCredentials(
      {Cred("twilio.account-sid", "sid", {msgs}), Cred("twilio.auth-token", "tok", {msgs})}, rules);
  REQUIRE(plans.size() == 1);
  const auto& p = plans[0];
  CHECK(p.rule_id == "twilio.auth-token");
  CHECK(p.has_route);
  REQUIRE(p.identifiers.size() == 1);
  CHECK(p.identifiers[0].env_var == "TWILIO_ACCOUNT_SID");
  CHECK(p.username_env_var == "TWILIO_ACCOUNT_SID");
  CHECK(p.env_var == "TWILIO_AUTH_TOKEN");

  auto tree = Generate(
      {Cred("twilio.account-sid", "sid", {msgs}), Cred("twilio.auth-token", "tok", {msgs})});
  CHECK(tree.count("express/routes/twilio.js") == 1);
  CHECK(tree.count("express/routes/twilio-2.js") == 0);
  CHECK(Contains(tree.at("express/routes/twilio.js"), R"("usernameEnvVar": "TWILIO_ACCOUNT_SID")"));
  const std::string& guide = tree.at("MIGRATION.md");
  CHECK(Contains(guide, "Do not rotate it; rotate the key."));
  CHECK_FALSE(Contains(guide,
                       "Rotate this key now, it has shipped to clients: revoke it at "
                       "https://console.twilio.com/us1/account/keys-credentials/api-keys"
                       ", then keep the new one server-side.\n- **Paired"));
  // The proxy reads both halves: the SID is a second secret reference, not a literal.
  const std::string& toml = tree.at("proxy/bff.toml");
  CHECK(Contains(toml, "name = \"twilio\""));
  CHECK(Contains(toml,
                 "source = \"env:TWILIO_AUTH_TOKEN\"\nauth = \"basic\"\n"
                 "basic_role = \"password\"\n"
                 "basic_username_source = \"env:TWILIO_ACCOUNT_SID\"\n"));
  CHECK_FALSE(Contains(toml, "basic_username = "));
  CHECK(Contains(tree.at(".env.example"), "\nTWILIO_ACCOUNT_SID=\n"));
}

TEST_CASE(
    "defect 1: a lone identifier gets no route and no rotation; AWS id + secret is one entry") {
  auto rules = FixtureRules();
  auto lone = bff::PlanCredentials({Cred("twilio.account-sid", "sid")}, rules);
  REQUIRE(lone.size() == 1);
  CHECK(lone[0].identifier_only);
  CHECK_FALSE(lone[0].has_route);
  CHECK(lone[0].env_var.empty());

  auto aws = bff::PlanCredentials(
      {Cred("aws.access-key-id", "id"), Cred("aws.secret-access-key", "secret")}, rules);
  REQUIRE(aws.size() == 1);
  CHECK(aws[0].rule_id == "aws.secret-access-key");
  REQUIRE(aws[0].identifiers.size() == 1);
  CHECK(aws[0].identifiers[0].env_var == "AWS_ACCESS_KEY_ID");
  CHECK(aws[0].env_var == "AWS_SECRET_ACCESS_KEY");
  // The paired-form rule inherits the provider's AWS_ACCESS_KEY_ID: it must not take it.
  auto paired = bff::PlanCredentials(
      {Cred("aws.access-key-id", "id"), Cred("aws.secret-access-key-paired", "secret")}, rules);
  REQUIRE(paired.size() == 1);
  CHECK(paired[0].env_var == "AWS_SECRET_ACCESS_KEY");
  CHECK(paired[0].identifiers[0].env_var == "AWS_ACCESS_KEY_ID");
}

TEST_CASE("defect 2: template hosts are filled from the app, or become a TODO env var") {
  CHECK(bff::MatchHostPattern("{app_id}-dsn.algolia.net", "abcde12345-dsn.algolia.net")
            ->at("app_id") == "abcde12345");
  CHECK_FALSE(bff::MatchHostPattern("{ref}.supabase.co", "evil.example").has_value());
  CHECK(bff::MatchHostPattern("{ref}.supabase.co", "xyzproject.supabase.co")->at("ref") ==
        "xyzproject");

  auto rules = FixtureRules();
  // Algolia: the app ID from `algoliasearch("APPID", key)` in the snippet.
  std::map<std::string, std::string> values;
  bff::TemplateValuesInSnippet(R"(const c=algoliasearch("ABCDE12345",")", values);
  REQUIRE(values.count("app_id") == 1);
  auto algolia = Cred("algolia.client-init", "alg",
                      {"https://abcde12345-dsn.algolia.net/1/indexes/products/query"});
  algolia.template_values = values;
  // Supabase: the project ref from the URL's host.
  auto supa =
      Cred("supabase.secret-key", "sb",
           {"https://xyzproject.supabase.co", "https://xyzproject.supabase.co/rest/v1/orders"});
  auto plans = bff::PlanCredentials({algolia, supa}, rules);
  const auto* a = Find(plans, "algolia.client-init");
  const auto* s = Find(plans, "supabase.secret-key");
  REQUIRE(a != nullptr);
  REQUIRE(s != nullptr);
  CHECK(a->base_url == "https://ABCDE12345-dsn.algolia.net/1");
  CHECK(a->extra_headers[0].second == "ABCDE12345");
  CHECK(a->template_env.empty());
  CHECK(s->base_url == "https://xyzproject.supabase.co");
  CHECK(s->paths == std::vector<std::string>{"/rest/v1/orders"});

  auto tree = Generate({algolia, supa}, "proxy");
  CHECK_FALSE(Contains(tree.at("proxy/bff.toml"), "{app_id}"));
  CHECK(
      Contains(tree.at("proxy/bff.toml"), R"(upstream = "https://ABCDE12345-dsn.algolia.net/1")"));
  CHECK(Contains(tree.at("proxy/bff.toml"), R"(upstream = "https://xyzproject.supabase.co")"));

  // Unknown ref: an explicit env var, never an invalid upstream in bff.toml.
  auto unknown = Generate({Cred("supabase.secret-key", "sb2")}, "express,proxy");
  CHECK(Contains(unknown.at("express/routes/supabase.js"), R"("ref": "SUPABASE_REF")"));
  CHECK_FALSE(Contains(unknown.at("proxy/bff.toml"), "upstream = \"https://{ref}"));
  CHECK(Contains(unknown.at(".env.example"), "\nSUPABASE_REF=\n"));
}

TEST_CASE("defect 3: one key matched by two rules gets one classification") {
  auto rules = FixtureRules();
  auto maps = Cred("google-maps.browser-key", "m1", {"https://maps.googleapis.com/maps/api/js"});
  auto google = Cred("google.api-key", "g1", {"https://maps.googleapis.com/maps/api/js"});
  maps.span = google.span = "dist/index.html\n120\n39";
  // The same key elsewhere, matched by the generic rule only: still the same answer.
  auto elsewhere = Cred("google.api-key", "g1", {}, "dist/assets/maps.js", 9);
  auto plans = bff::PlanCredentials({google, maps, elsewhere}, rules);
  REQUIRE(plans.size() == 1);
  CHECK(plans[0].rule_id == "google-maps.browser-key");
  CHECK(plans[0].rule_class == "publishable");
  CHECK_FALSE(plans[0].has_route);
  CHECK(plans[0].found_at.size() == 2);
  CHECK(plans[0].also_matched == std::vector<std::string>{"google.api-key"});

  // Between two definite answers on the same bytes, "secret" is the safe one.
  auto pk = Cred("stripe.publishable-key", "p1");
  auto sk = Cred("stripe.secret-key", "s1");
  pk.span = sk.span = "dist/app.js\n10\n40";
  auto both = bff::PlanCredentials({pk, sk}, rules);
  REQUIRE(both.size() == 1);
  CHECK(both[0].rule_id == "stripe.secret-key");
}

TEST_CASE("defect 4: the query allowlist takes names from the provider's own URLs only") {
  auto rules = FixtureRules();
  auto plans = bff::PlanCredentials(
      {Cred("mapbox.secret-token", "mb",
            {"https://api.mapbox.com/geocoding/v5/mapbox.places/x.json?limit&access_token",
             "https://maps.googleapis.com/maps/api/geocode/json?key&address"})},
      rules);
  REQUIRE(plans.size() == 1);
  CHECK(plans[0].query_names == std::vector<std::string>{"limit"});
}

TEST_CASE("defect 5: methods come from the call site; unknown gives POST on the exact path") {
  const std::string bundle =
      R"(async function a(e){return(await fetch("https://api.openai.com/v1/chat/completions",)"
      R"({method:"POST",headers:{},body:JSON.stringify({model:"gpt-4o-mini",messages:e})})).json()})"
      R"(const s=()=>fetch("https://api.stripe.com/v1/customers/"+id);)"
      R"(axios.post('https://api.sendgrid.com/v3/mail/send',m);)"
      R"(const u="https://api.openai.com/v1/models";)";
  std::vector<std::string> urls = {
      "https://api.openai.com/v1/chat/completions", "https://api.stripe.com/v1/customers/",
      "https://api.sendgrid.com/v3/mail/send", "https://api.openai.com/v1/models"};
  auto ops = bff::CallSiteOperations(bundle, urls);
  using Op = std::pair<std::string, std::string>;
  CHECK(std::find(ops.begin(), ops.end(), Op{"POST", urls[0]}) != ops.end());
  CHECK(std::find(ops.begin(), ops.end(), Op{"GET", urls[1]}) != ops.end());
  CHECK(std::find(ops.begin(), ops.end(), Op{"POST", urls[2]}) != ops.end());
  CHECK(ops.size() == 3);  // the bare string is no call
  CHECK(bff::CallSiteModels(bundle, urls) == std::vector<std::string>{"gpt-4o-mini"});

  auto rules = FixtureRules();
  auto openai = Cred("openai.project-key", "o", {urls[0], urls[3]});
  openai.operations_seen = {{"POST", urls[0]}};
  auto plans = bff::PlanCredentials({openai}, rules);
  REQUIRE(plans.size() == 1);
  REQUIRE(plans[0].operations.size() == 2);
  CHECK(plans[0].operations[0].method == "POST");
  CHECK(plans[0].operations[0].path == "/chat/completions");
  CHECK(plans[0].operations[0].method_known);
  CHECK(plans[0].operations[1].method == "POST");  // /models: method unknown -> POST only
  CHECK(plans[0].operations[1].path == "/models");
  CHECK_FALSE(plans[0].operations[1].method_known);
  CHECK(plans[0].methods == std::vector<std::string>{"POST"});

  // Stripe: a GET on one object is opened, a GET on the collection (a list) is not.
  auto stripe = Cred("stripe.secret-key", "s",
                     {"https://api.stripe.com/v1/customers/", "https://api.stripe.com/v1/charges"});
  stripe.operations_seen = {{"GET", "https://api.stripe.com/v1/customers/"},
                            {"GET", "https://api.stripe.com/v1/charges"}};
  auto sp = bff::PlanCredentials({stripe}, rules);
  REQUIRE(sp[0].operations.size() == 1);
  CHECK(sp[0].operations[0].path == "/v1/customers/*");
  REQUIRE(sp[0].undecided.size() == 1);
  CHECK(sp[0].undecided[0].path == "/v1/charges");
}

TEST_CASE("the body a call site sends becomes the operation's schema") {
  const std::string bundle =
      R"(fetch("https://api.openai.com/v1/chat/completions",{method:"POST",body:JSON.stringify()"
      R"({model:"gpt-4o-mini","stream":!0,messages:e.map(t=>({role:t.r,content:t.c}))})});)"
      R"(fetch("https://api.stripe.com/v1/payment_intents",{method:"POST",body:new URLSearchParams()"
      R"({amount:String(a),currency})});)"
      R"(fetch("https://api.sendgrid.com/v3/mail/send",{method:"POST",body:JSON.stringify({...m})});)";
  std::vector<std::string> urls = {"https://api.openai.com/v1/chat/completions",
                                   "https://api.stripe.com/v1/payment_intents",
                                   "https://api.sendgrid.com/v3/mail/send"};
  auto bodies = bff::CallSiteBodies(bundle, urls);
  REQUIRE(bodies.count(urls[0]) == 1);
  CHECK(bodies[urls[0]] ==
        bff::CallSiteBody{"json", std::vector<std::string>{"messages", "model", "stream"}});
  CHECK(bodies[urls[1]] ==
        bff::CallSiteBody{"form", std::vector<std::string>{"amount", "currency"}});
  CHECK(bodies.count(urls[2]) == 0);  // a spread: unknown keys, so no schema

  auto openai = Cred("openai.project-key", "o", {urls[0]});
  openai.operations_seen = {{"POST", urls[0]}};
  openai.bodies_seen = {{urls[0], bodies[urls[0]]}};
  auto tree = Generate({openai}, "express");
  CHECK(Contains(tree.at("express/routes/openai.js"), R"("body": {
        "kind": "json",
        "keys": [
          "messages",
          "model",
          "stream"
        ]
      })"));
  CHECK(Contains(tree.at("express/lib/guards.js"), "z.strictObject(shape)"));
}

TEST_CASE("defect 6: request headers pass by a per-provider allowlist; a timeout is set") {
  auto tree =
      Generate({Cred("stripe.secret-key", "s", {"https://api.stripe.com/v1/payment_intents"})},
               "express,proxy");
  const std::string& route = tree.at("express/routes/stripe.js");
  CHECK(Contains(route, R"("requestHeaders": [
    "accept",
    "content-type",
    "idempotency-key",
    "stripe-version"
  ])"));
  CHECK_FALSE(Contains(route, "stripe-account"));
  CHECK(Contains(route, R"("upstreamTimeoutMs": 30000)"));
  CHECK(Contains(tree.at("proxy/bff.toml"), "timeout_ms = 30000"));
  const std::string& lib = tree.at("express/lib/leakproof-bff.js");
  CHECK(Contains(lib, "route.requestHeaders"));
  CHECK_FALSE(Contains(lib, "DROP_REQUEST_HEADERS"));
}

TEST_CASE("defect 7: bff.toml lists each path once; targets read params, v2 events, __session") {
  auto tree = Generate({Cred(
      "stripe.secret-key", "s",
      {"https://api.stripe.com/v1/customers/cus_9s8d7f6g5h4j",
       "https://api.stripe.com/v1/customers/", "https://api.stripe.com/v1/payment_intents"})});
  CHECK(
      Contains(tree.at("proxy/bff.toml"), R"(paths = ["/v1/customers/*", "/v1/payment_intents"])"));
  CHECK(Contains(tree.at("nextjs/app/api/stripe/[...path]/route.ts"), "await context.params"));
  CHECK_FALSE(
      Contains(tree.at("nextjs/app/api/stripe/[...path]/route.ts"), "new URL(request.url)"));
  CHECK(Contains(tree.at("lambda/src/lambda-adapter.ts"), "event.rawPath"));
  CHECK(Contains(tree.at("lambda/src/lambda-adapter.ts"), "isBase64Encoded: false"));
  CHECK(Contains(tree.at("firebase/functions/src/stripe.ts"), R"("__session")"));
  CHECK(Contains(tree.at("firebase/functions/src/stripe.ts"), "resource-exhausted"));
  CHECK(Contains(tree.at("cloudflare/wrangler.toml"), "[[ratelimits]]"));
  CHECK_FALSE(Contains(tree.at("express/lib/leakproof-bff.js"), "windows.clear()"));
  CHECK_FALSE(Contains(tree.at("nextjs/lib/leakproof-bff.ts"), "windows.clear()"));
}

TEST_CASE("a key found in a mobile app marks its route mobile (Bearer sessions)") {
  auto plans = bff::PlanCredentials(
      {Cred("openai.project-key", "o", {}, "app.apk!assets/index.android.bundle"),
       Cred("stripe.secret-key", "s", {}, "web/dist/main.js")},
      FixtureRules());
  REQUIRE(plans.size() == 2);
  for (const auto& p : plans) CHECK(p.mobile == (p.rule_id == "openai.project-key"));
}

TEST_CASE("a Supabase service_role key gets a plan, never a route") {
  auto plans = bff::PlanCredentials(
      {Cred("supabase.service-role-key", "sr", {"https://xyzproject.supabase.co/rest/v1/orders"})},
      FixtureRules());
  REQUIRE(plans.size() == 1);
  CHECK_FALSE(plans[0].has_route);
  CHECK(Contains(plans[0].no_route_reason, "Row Level Security"));
}

TEST_CASE("bff.toml carries mobile and the provider's forward_headers where they are known") {
  auto tree =
      Generate({Cred("openai.project-key", "o", {"https://api.openai.com/v1/chat/completions"},
                     "app.apk!assets/index.android.bundle"),
                Cred("stripe.secret-key", "s", {"https://api.stripe.com/v1/payment_intents"},
                     "web/dist/main.js")});
  const std::string& toml = tree.at("proxy/bff.toml");
  const size_t openai = toml.find("name = \"openai\"");
  const size_t stripe = toml.find("name = \"stripe\"");
  REQUIRE(openai != std::string::npos);
  REQUIRE(stripe != std::string::npos);
  const std::string openai_route =
      toml.substr(openai, stripe > openai ? stripe - openai : std::string::npos);
  const std::string stripe_route =
      toml.substr(stripe, openai > stripe ? openai - stripe : std::string::npos);
  CHECK(Contains(openai_route, "\nmobile = true\n"));
  CHECK(Contains(openai_route, "forward_headers = [\"openai-beta\"]"));
  CHECK_FALSE(Contains(stripe_route, "mobile = true"));
  // accept/content-type/idempotency-key are forwarded by the proxy's defaults, and
  // Stripe-Version is injected by the route (extra_headers): never the client's.
  CHECK_FALSE(Contains(stripe_route, "forward_headers"));
}

// Issue 13 item: a saved report has no call site, only the snippet. A call that fits in the
// snippet gives its real method per URL; a fetch() cut before its options is not taken for
// a GET; whatever stays unknown is POST on the exact path, and MIGRATION.md says why.
TEST_CASE("--from-report: methods from the snippet's call sites, else POST-only and said so") {
  auto creds = bff::CredentialsFromReport(
      R"json({"findings":[
  {"rule_id":"stripe.secret-key","secret_hash":"s1","location":{"path":"dist/a.js","line":3},
   "snippet":"…axios.get(\"https://api.stripe.com/v1/customers/cus_9s8dF2kLq0\");fetch(\"https://api.stripe.com/v1/payment_intents\",{method:\"POST\",headers:{Authorization:\"Bearer sk_l…\"}",
   "context_urls":["https://api.stripe.com/v1/customers/cus_9s8dF2kLq0","https://api.stripe.com/v1/payment_intents"]},
  {"rule_id":"openai.project-key","secret_hash":"o1","location":{"path":"dist/a.js","line":9},
   "snippet":"…const r=await fetch(\"https://api.openai.com/v1/chat/completions\",",
   "context_urls":["https://api.openai.com/v1/chat/completions"]}
]})json");
  REQUIRE(creds.ok());
  REQUIRE(creds->size() == 2);
  CHECK((*creds)[0].from_report);
  CHECK((*creds)[0].operations_seen ==
        std::vector<std::pair<std::string, std::string>>{
            {"GET", "https://api.stripe.com/v1/customers/cus_9s8dF2kLq0"},
            {"POST", "https://api.stripe.com/v1/payment_intents"}});
  // Cut right after the URL: the options (maybe `method: "POST"`) are beyond the snippet.
  CHECK((*creds)[1].operations_seen.empty());

  auto plans = bff::PlanCredentials(*creds, FixtureRules());
  const auto* stripe = Find(plans, "stripe.secret-key");
  const auto* openai = Find(plans, "openai.project-key");
  REQUIRE(stripe != nullptr);
  REQUIRE(openai != nullptr);
  CHECK(stripe->methods_derived);
  REQUIRE(stripe->operations.size() == 2);
  CHECK(stripe->operations[0].method == "GET");
  CHECK(stripe->operations[0].path == "/v1/customers/*");
  CHECK(stripe->operations[1].method == "POST");
  CHECK(stripe->operations[1].path == "/v1/payment_intents");
  CHECK_FALSE(openai->methods_derived);
  REQUIRE(openai->operations.size() == 1);
  CHECK(openai->operations[0].method == "POST");
  CHECK_FALSE(openai->operations[0].method_known);

  auto tree = Generate(*creds);
  const std::string& guide = tree.at("MIGRATION.md");
  CHECK(Contains(guide, "planned from a saved report"));
  // Said once, for the route whose methods are unknown, not for Stripe's.
  CHECK(guide.find("planned from a saved report") == guide.rfind("planned from a saved report"));
}

TEST_CASE("AWS key pair: one SigV4 route for the one service called, else no route") {
  auto rules = FixtureRules();
  const std::string put = "https://shop-uploads.s3.amazonaws.com/uploads/";
  bff::CredentialInput id = Cred("aws.access-key-id", "id", {put});
  bff::CredentialInput secret = Cred("aws.secret-access-key", "secret", {put});
  secret.operations_seen = {{"PUT", put}};
  auto plans = bff::PlanCredentials({id, secret}, rules);
  REQUIRE(plans.size() == 1);
  const auto& p = plans[0];
  CHECK(p.has_route);
  CHECK(p.auth.kind == "sigv4");
  CHECK(p.auth.sigv4_service == "s3");
  CHECK(p.auth.sigv4_region == "us-east-1");
  CHECK(p.base_url == "https://shop-uploads.s3.amazonaws.com");
  CHECK(p.username_env_var == "AWS_ACCESS_KEY_ID");
  CHECK(p.env_var == "AWS_SECRET_ACCESS_KEY");
  REQUIRE(p.operations.size() == 1);
  CHECK(p.operations[0].method == "PUT");
  CHECK(p.operations[0].path == "/uploads/*");

  auto tree = Generate({id, secret});
  CHECK(Contains(tree.at("express/routes/aws.js"),
                 "\"auth\": {\n    \"kind\": \"sigv4\",\n    \"service\": \"s3\",\n"
                 "    \"region\": \"us-east-1\",\n"
                 "    \"accessKeyIdEnvVar\": \"AWS_ACCESS_KEY_ID\"\n  }"));
  CHECK(Contains(tree.at("express/routes/aws.js"), "sign: signSigV4"));
  CHECK(Contains(tree.at("nextjs/app/api/aws/[...path]/route.ts"), "sign: signSigV4"));
  // The proxy does not sign SigV4: the route is written commented out with the reason.
  CHECK_FALSE(Contains(tree.at("proxy/bff.toml"), "name = \"aws\""));
  CHECK(Contains(tree.at("proxy/bff.toml"), "does not sign AWS Signature V4"));

  // Regional endpoints give the signing name, not the host prefix. (The key ID alone, without
  // the S3 URL, so only the secret's endpoint counts.)
  const bff::CredentialInput bare_id = Cred("aws.access-key-id", "id");
  bff::CredentialInput bedrock =
      Cred("aws.secret-access-key", "secret",
           {"https://bedrock-runtime.eu-west-1.amazonaws.com/model/x/invoke"});
  auto regional = bff::PlanCredentials({bare_id, bedrock}, rules);
  REQUIRE(regional.size() == 1);
  CHECK(regional[0].auth.sigv4_service == "bedrock");
  CHECK(regional[0].auth.sigv4_region == "eu-west-1");

  // Two services: no route, the reviewer decides. No endpoint, or no key ID: no route.
  auto two = bff::PlanCredentials({id, Cred("aws.secret-access-key", "secret",
                                            {put, "https://dynamodb.us-east-1.amazonaws.com/"})},
                                  rules);
  REQUIRE(two.size() == 1);
  CHECK_FALSE(two[0].has_route);
  CHECK(Contains(two[0].no_route_reason, "several AWS endpoints"));
  auto none = bff::PlanCredentials({bare_id, Cred("aws.secret-access-key", "secret")}, rules);
  CHECK_FALSE(none[0].has_route);
  CHECK(Contains(none[0].no_route_reason, "no AWS service endpoint"));
  auto lone = bff::PlanCredentials({Cred("aws.secret-access-key", "secret", {put})}, rules);
  REQUIRE(lone.size() == 1);
  CHECK_FALSE(lone[0].has_route);
  CHECK(Contains(lone[0].no_route_reason, "access key ID was not found"));
}
