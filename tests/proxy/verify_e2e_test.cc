// End to end: `leakproof scan --verify` against a loopback TLS fake provider
// (support/fake_provider.py, a CA made by the test run) that plays Stripe, GitHub, OpenAI,
// Slack, Twilio (basic with the pair), AWS STS (checks a real SigV4 signature) and Algolia
// (ACL). LEAKPROOF_VERIFY_TEST_OVERRIDES maps those providers' base URLs to it; no real
// provider is ever contacted. Every key is fake and made fresh per run.
#include "cli/cli_support.h"
#include "proxy/support/proxy_harness.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <thread>

namespace leakproof::testing {
namespace {

std::string RandomOf(const std::string& alphabet, std::size_t n) {
  static std::mt19937 rng{std::random_device{}()};
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += alphabet[pick(rng)];
  return out;
}
const std::string kAlnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const std::string kHex = "0123456789abcdef";

// Keys shaped like each provider's (the rule pack's regexes), assembled from pieces.
std::string StripeKey() { return std::string("sk_") + "live_" + "51Q" + RandomOf(kAlnum, 40); }
std::string GithubKey() { return std::string("gh") + "p_" + RandomOf(kAlnum, 36); }
std::string OpenAiKey() {
  return std::string("sk-") + "proj-" + RandomOf(kAlnum, 30) + "T3Blbk" + "FJ" +
         RandomOf(kAlnum, 30);
}
std::string SlackKey() {
  return std::string("xox") + "b-" + RandomOf("123456789", 12) + "-" + RandomOf("123456789", 13) +
         "-" + RandomOf(kAlnum, 24);
}

// The fake provider process and the override file pointing the pack's base URLs at it.
class FakeProvider {
 public:
  explicit FakeProvider(const nlohmann::json& keys) {
    dir_.Write("keys.json", keys.dump());
    const std::string d = dir_.path().string();
    proc_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{
            "python3", std::string(LEAKPROOF_SOURCE_DIR) + "/tests/proxy/support/fake_provider.py",
            d},
        std::vector<std::pair<std::string, std::string>>{}, d + "/fake.out", d + "/fake.err");
    for (int i = 0; i < 500 && port_ == 0; ++i) {
      std::string out = ReadWholeFile(d + "/fake.out");
      if (out.find('\n') != std::string::npos) port_ = std::atoi(out.c_str());
      if (port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(port_ > 0);
    const std::string base = "https://localhost:" + std::to_string(port_);
    nlohmann::json map = {
        {"https://api.stripe.com", base + "/stripe"},
        {"https://api.github.com", base + "/github"},
        {"https://api.openai.com/v1", base + "/openai/v1"},
        {"https://slack.com/api", base + "/slack/api"},
        {"https://api.twilio.com/2010-04-01", base + "/twilio/2010-04-01"},
        {"https://sts.amazonaws.com", base + "/aws"},
        {"https://{app_id}-dsn.algolia.net/1", base + "/algolia/1"},
    };
    overrides_ = dir_.Write("overrides.json", nlohmann::json({{"leakproof_test_only", true},
                                                              {"ca_file", d + "/ca.pem"},
                                                              {"base_urls", map}})
                                                  .dump())
                     .string();
  }

  int port() const { return port_; }
  const TempDir& dir() const { return dir_; }

  // Runs `leakproof scan ARGS` with the overrides armed. The verify cache is the build
  // tree's test cache (cli_support's XDG_CACHE_HOME), shared with the rule database.
  CommandResult Scan(const std::string& args) const {
    return RunLeakproofWith("LEAKPROOF_VERIFY_TEST_OVERRIDES='" + overrides_ + "'",
                            "scan --no-progress " + args);
  }

  nlohmann::json Stats() const {
    // The stats endpoint is read with the same TLS client the tests trust: curl-free, via
    // python's urllib against the test CA.
    const std::string d = dir_.path().string();
    const std::string cmd =
        "python3 -c \"import ssl,urllib.request;c=ssl.create_default_context("
        "cafile='" +
        d + "/ca.pem');print(urllib.request.urlopen('https://localhost:" + std::to_string(port_) +
        "/__stats',context=c).read().decode())\"";
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    pclose(p);
    return nlohmann::json::parse(out);
  }

 private:
  TempDir dir_;
  std::unique_ptr<ChildProcess> proc_;
  int port_ = 0;
  std::string overrides_;
};

int Hits(const nlohmann::json& stats, const std::string& key) {
  return stats["hits"].contains(key) ? stats["hits"][key].get<int>() : 0;
}

// The verification of the finding on `line` of `file` (rule id must match).
nlohmann::json VerificationAt(const nlohmann::json& report, const std::string& rule,
                              const std::string& file, int line) {
  for (const auto& f : report["findings"]) {
    if (f["rule_id"] == rule && f["location"]["line"] == line &&
        f["location"]["path"].get<std::string>().ends_with(file)) {
      return f.value("verification", nlohmann::json());
    }
  }
  FAIL("no " << rule << " finding at " << file << ":" << line);
  return {};
}

}  // namespace

TEST_CASE("scan --verify: live, rejected, rate-limited, timeout, pairs, SigV4, ACL", "[verify]") {
  const std::string stripe_live = StripeKey(), stripe_dead = StripeKey();
  const std::string github_live = GithubKey(), github_rate = GithubKey();
  const std::string openai_forbid = OpenAiKey(), openai_slow = OpenAiKey();
  const std::string slack_live = SlackKey(), slack_dead = SlackKey();
  const std::string twilio_sid = "AC" + RandomOf(kHex, 32), twilio_token = RandomOf(kHex, 32);
  const std::string aws_id = "AKIA" + RandomOf("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
  const std::string aws_secret = RandomOf(kAlnum + "/+", 40);
  const std::string algolia_app = RandomOf("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10);
  const std::string algolia_admin = RandomOf(kHex, 32), algolia_search = RandomOf(kHex, 32);
  const std::vector<std::string> all = {stripe_live,   stripe_dead,   github_live,   github_rate,
                                        openai_forbid, openai_slow,   slack_live,    slack_dead,
                                        twilio_sid,    twilio_token,  aws_id,        aws_secret,
                                        algolia_app,   algolia_admin, algolia_search};
  FakeProvider fake({{stripe_live, "live"},
                     {stripe_dead, "dead"},
                     {github_live, "live"},
                     {github_rate, "rate"},
                     {openai_forbid, "forbid"},
                     {openai_slow, "slow"},
                     {slack_live, "live"},
                     {slack_dead, "dead"},
                     {twilio_token, "live"},
                     {"twilio_sid", twilio_sid},
                     {aws_secret, "live"},
                     {"aws", {{aws_id, aws_secret}}},
                     {algolia_admin, "live"},
                     {algolia_search, "live"},
                     {"algolia_app", algolia_app},
                     {"algolia_search_only", {algolia_search}}});
  const std::string attacker = "https://localhost:" + std::to_string(fake.port()) + "/attacker";
  // One key per line; line numbers are what the assertions look up.
  const std::string bundle = "const a = \"" + stripe_live + "\";\n" +  // 1
                             "const b = \"" + stripe_dead + "\";\n" +  // 2
                             "fetch(\"" + attacker +
                             "/user\", {headers: {Authorization: \"Bearer " +       // 3
                             github_live + "\"}});\n" +                             //
                             "const d = \"" + github_rate + "\";\n" +               // 4
                             "const e = \"" + openai_forbid + "\";\n" +             // 5
                             "const f = \"" + openai_slow + "\";\n" +               // 6
                             "const g = \"" + slack_live + "\";\n" +                // 7
                             "const h = \"" + slack_dead + "\";\n" +                // 8
                             "TWILIO_ACCOUNT_SID = \"" + twilio_sid + "\";\n" +     // 9
                             "TWILIO_AUTH_TOKEN = \"" + twilio_token + "\";\n" +    // 10
                             "AWS_ACCESS_KEY_ID = \"" + aws_id + "\";\n" +          // 11
                             "AWS_SECRET_ACCESS_KEY = \"" + aws_secret + "\";\n" +  // 12
                             "ALGOLIA_APP_ID = \"" + algolia_app + "\";\n" +        // 13
                             "ALGOLIA_ADMIN_KEY = \"" + algolia_admin + "\";\n";    // 14
  const std::string search_js = "ALGOLIA_APP_ID = \"" + algolia_app + "\";\n" +
                                "ALGOLIA_SEARCH_KEY = \"" + algolia_search + "\";\n";
  TempDir work;
  work.Write("app/main.js", bundle);
  work.Write("app/search.js", search_js);
  const std::string app = (work.path() / "app").string();
  const std::string out_file = (work.path() / "report.json").string();

  CommandResult r = fake.Scan("--verify --verify-timeout 3 --verify-retries 2 -f json -o '" +
                              out_file + "' '" + app + "'");
  INFO(r.err);
  CHECK(r.exit_code == 1);
  const std::string report_text = ReadWholeFile(out_file);
  const nlohmann::json report = nlohmann::json::parse(report_text);

  auto state = [&](const std::string& rule, const std::string& file, int line) {
    return VerificationAt(report, rule, file, line).value("state", std::string("absent"));
  };
  CHECK(state("stripe.secret-key", "main.js", 1) == "live");
  CHECK(VerificationAt(report, "stripe.secret-key", "main.js", 1)["http_status"] == 200);
  CHECK(state("stripe.secret-key", "main.js", 2) == "rejected");
  CHECK(VerificationAt(report, "stripe.secret-key", "main.js", 2)["http_status"] == 401);
  const auto gh = VerificationAt(report, "github.personal-access-token", "main.js", 3);
  CHECK(gh["state"] == "live");
  CHECK(gh["identity"].get<std::string>().find("scopes=repo, gist") != std::string::npos);
  CHECK(gh["identity"].get<std::string>().find("login=fake-octocat") != std::string::npos);
  CHECK(state("github.personal-access-token", "main.js", 4) == "live");  // 429, then 200
  CHECK(state("openai.project-key", "main.js", 5) == "rejected");        // 403
  CHECK(state("openai.project-key", "main.js", 6) == "error");           // timed out
  CHECK(state("slack.bot-token", "main.js", 7) == "live");
  CHECK(state("slack.bot-token", "main.js", 8) == "rejected");  // 200 {"ok": false}
  INFO(VerificationAt(report, "twilio.auth-token", "main.js", 10).dump());
  CHECK(state("twilio.auth-token", "main.js", 10) == "live");
  CHECK(state("twilio.account-sid", "main.js", 9) == "live");  // answered with its pair
  const auto aws = VerificationAt(report, "aws.secret-access-key", "main.js", 12);
  CHECK(aws["state"] == "live");
  CHECK(aws["identity"].get<std::string>().find("account=123456789012") != std::string::npos);
  const auto admin = VerificationAt(report, "algolia.api-key", "main.js", 14);
  CHECK(admin["state"] == "live");
  CHECK(admin["settled_class"] == "secret");
  const auto search = VerificationAt(report, "algolia.api-key", "search.js", 2);
  CHECK(search["settled_class"] == "publishable");
  for (const auto& f : report["findings"]) {
    if (f["rule_id"] == "algolia.api-key" &&
        f["location"]["path"].get<std::string>().ends_with("search.js")) {
      CHECK(f["class"] == "publishable");
    }
  }

  nlohmann::json stats = fake.Stats();
  CHECK(stats["attacker"] == 0);        // the URL next to the key was never contacted
  CHECK(stats["bad_signatures"] == 0);  // the SigV4 signature checked out
  CHECK(Hits(stats, stripe_live) == 1);
  CHECK(Hits(stats, github_rate) == 2);  // one 429, one retry
  CHECK(Hits(stats, aws_id) == 1);

  // The key never appears in stdout, stderr, the report or the cache file.
  const std::string cache = ReadWholeFile(LEAKPROOF_TEST_CACHE "/leakproof/verify-cache.json");
  CHECK(cache.find("\"live\"") != std::string::npos);
  const auto perms =
      std::filesystem::status(LEAKPROOF_TEST_CACHE "/leakproof/verify-cache.json").permissions();
  CHECK((perms & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  for (const std::string& k : all) {
    if (k == algolia_app || k == twilio_sid || k == aws_id) continue;  // identifiers, reported
    INFO("key " << k.substr(0, 4));
    CHECK(r.out.find(k) == std::string::npos);
    CHECK(r.err.find(k) == std::string::npos);
    CHECK(report_text.find(k) == std::string::npos);
    CHECK(cache.find(k) == std::string::npos);
  }

  SECTION("a rerun answers from the cache without sending the keys again") {
    CommandResult again =
        fake.Scan("--verify --verify-timeout 3 --verify-retries 0 -f json '" + app + "'");
    CHECK(again.err.find("answers from cache") != std::string::npos);
    nlohmann::json after = fake.Stats();
    CHECK(Hits(after, stripe_live) == 1);
    CHECK(Hits(after, stripe_dead) == 1);
    CHECK(Hits(after, aws_id) == 1);
    CHECK(Hits(after, openai_slow) == 2);  // an error is not cached: asked again
  }
  SECTION("--fail-on live, --only-verified, --verify-allow") {
    CommandResult live = fake.Scan(
        "--verify --verify-allow stripe --only-verified --fail-on live "
        "--verify-no-cache -f json '" +
        app + "'");
    INFO(live.err);
    CHECK(live.exit_code == 1);
    nlohmann::json j = nlohmann::json::parse(live.out);
    REQUIRE(j["findings"].size() == 1);
    CHECK(j["findings"][0]["rule_id"] == "stripe.secret-key");
    CHECK(j["findings"][0]["verification"]["state"] == "live");
    nlohmann::json after = fake.Stats();
    CHECK(Hits(after, stripe_live) == 2);
    CHECK(Hits(after, github_live) == 1);  // not in --verify-allow: not sent
  }
}

TEST_CASE("scan --verify: one request per key, a concurrency cap per provider", "[verify]") {
  const std::string key = StripeKey();
  std::vector<std::string> many;
  nlohmann::json keys = {{key, "live"}};
  for (int i = 0; i < 100; ++i) {
    many.push_back(GithubKey());
    keys[many.back()] = "hold";
  }
  FakeProvider fake(keys);
  TempDir work;
  std::string thousand, hundred;
  for (int i = 0; i < 1000; ++i) thousand += "k" + std::to_string(i) + " = \"" + key + "\";\n";
  for (const std::string& k : many) hundred += "t = \"" + k + "\";\n";
  work.Write("in/one_key.js", thousand);
  work.Write("in/many_keys.js", hundred);
  CommandResult r = fake.Scan(
      "--verify --verify-no-cache --verify-concurrency 3 --verify-rate 100 "
      "-f jsonl '" +
      (work.path() / "in").string() + "'");
  INFO(r.err);
  CHECK(r.exit_code == 1);
  std::size_t live = 0, lines = 0;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line);
    if (!j.contains("rule_id")) continue;
    ++lines;
    if (j.contains("verification") && j["verification"]["state"] == "live") ++live;
  }
  CHECK(lines == 1100);
  CHECK(live == 1100);
  nlohmann::json stats = fake.Stats();
  CHECK(Hits(stats, key) == 1);  // 1,000 findings of one key: one request
  for (const std::string& k : many) CHECK(Hits(stats, k) == 1);
  CHECK(stats["max_concurrency"]["github"].get<int>() <= 3);
  CHECK(stats["max_concurrency"]["github"].get<int>() >= 2);  // and it did run in parallel
}

TEST_CASE("scan --dry-run-verify prints the requests with the key redacted, sends nothing",
          "[verify]") {
  const std::string key = StripeKey();
  FakeProvider fake(nlohmann::json{{key, "live"}});
  TempDir work;
  work.Write("a.js", "const k = \"" + key + "\";\n");
  CommandResult r = fake.Scan("--dry-run-verify -f json '" + (work.path() / "a.js").string() + "'");
  INFO(r.err);
  CHECK(r.err.find("would send stripe: GET https://localhost:") != std::string::npos);
  CHECK(r.err.find("headers: Authorization") != std::string::npos);
  CHECK(r.err.find(key) == std::string::npos);
  CHECK(r.out.find(key) == std::string::npos);
  CHECK(Hits(fake.Stats(), key) == 0);
  // Flags that need --verify say so instead of silently passing.
  CommandResult bad = fake.Scan("--fail-on live '" + (work.path() / "a.js").string() + "'");
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--fail-on live needs --verify") != std::string::npos);
  CommandResult typo =
      fake.Scan("--verify --verify-allow strpie '" + (work.path() / "a.js").string() + "'");
  CHECK(typo.exit_code == 2);
  CHECK(typo.err.find("no provider 'strpie'") != std::string::npos);
}

TEST_CASE("scan --verify: text, SARIF and JUnit carry the verification", "[verify]") {
  const std::string key = StripeKey();
  FakeProvider fake(nlohmann::json{{key, "live"}});
  TempDir work;
  const std::string file = work.Write("a.js", "const k = \"" + key + "\";\n").string();
  CommandResult text = fake.Scan("--verify --verify-no-cache --color never '" + file + "'");
  CHECK(text.out.find("secret LIVE") != std::string::npos);
  CHECK(text.out.find("verify  live (HTTP 200)") != std::string::npos);
  CommandResult sarif = fake.Scan("--verify --verify-no-cache -f sarif '" + file + "'");
  nlohmann::json s = nlohmann::json::parse(sarif.out);
  CHECK(s["runs"][0]["results"][0]["properties"]["verification"]["state"] == "live");
  CommandResult junit = fake.Scan("--verify --verify-no-cache -f junit '" + file + "'");
  CHECK(junit.out.find("(verified: live, HTTP 200 from GET /v1/balance)") != std::string::npos);
  for (const CommandResult* r : {&text, &sarif, &junit}) {
    CHECK(r->out.find(key) == std::string::npos);
    CHECK(r->err.find(key) == std::string::npos);
  }
}

TEST_CASE("a test override file must say it is one and point at localhost", "[verify]") {
  TempDir work;
  work.Write("a.js", "const k = \"" + StripeKey() + "\";\n");
  const std::string bad =
      work.Write("o.json", R"({"base_urls": {"https://api.stripe.com": "https://localhost:1/x"}})")
          .string();
  CommandResult r =
      RunLeakproofWith("LEAKPROOF_VERIFY_TEST_OVERRIDES='" + bad + "'",
                       "scan --verify --verify-no-cache '" + (work.path() / "a.js").string() + "'");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("not a leakproof test override file") != std::string::npos);
  const std::string remote = work.Write("r.json", R"({"leakproof_test_only": true, "base_urls":
      {"https://api.stripe.com": "https://collector.example:443/x"}})")
                                 .string();
  r = RunLeakproofWith("LEAKPROOF_VERIFY_TEST_OVERRIDES='" + remote + "'",
                       "scan --verify --verify-no-cache '" + (work.path() / "a.js").string() + "'");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("must be https on localhost") != std::string::npos);
}

}  // namespace leakproof::testing
