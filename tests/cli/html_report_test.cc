// `--format html`: a self-contained page, checked in a real headless Chromium: the
// rendered table has one row per finding, URL-hash filters narrow it, hostile names and
// snippets stay text, and no full secret is in the file.
#include "cli/cli_support.h"
#include "support/headless_chromium.h"
#include "support/test_rules.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>
#include <sstream>

using leakproof::testing::CountOf;
using leakproof::testing::HeadlessChromium;
using leakproof::testing::RunLeakproof;
using leakproof::testing::TempDir;

namespace {

const std::string kGithub = std::string("ghp_") + "R8mK2xQ9vLp4TzW7nYb3HcJ6dF1sA5gE0uNi";

std::string Q(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ShownCount(const std::string& dom) {
  std::smatch m;
  const std::regex re("id=\"shown-count\">([0-9]+)<");
  return std::regex_search(dom, m, re) ? m[1].str() : "";
}

}  // namespace

TEST_CASE("html report of samples/: rows, filters, no full secret, screenshot") {
  TempDir d;
  const std::string samples = Q(std::filesystem::path(LEAKPROOF_SOURCE_DIR) / "samples");
  const auto page = d.path() / "report.html";
  auto r = RunLeakproof("scan --sort -q --format html -o " + Q(page) + " " + samples);
  REQUIRE(r.exit_code == 1);
  const std::string html = Slurp(page);
  CHECK(html.size() < 200 * 1024);                // page + embedded report of samples/
  CHECK(html.find("/*@@") == std::string::npos);  // every slot filled
  CHECK(html.find("http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'") !=
        std::string::npos);  // the page may fetch nothing

  // No full secret: every secret of an unredacted scan is absent from the page.
  auto full = nlohmann::json::parse(
      RunLeakproof("scan --sort -q --no-redact --format json " + samples).out);
  const auto json =
      nlohmann::json::parse(RunLeakproof("scan --sort -q --format json " + samples).out);
  const std::size_t findings = json["findings"].size();
  REQUIRE(findings > 20);
  for (const auto& f : full["findings"]) {
    const std::string secret = f["secret"];
    if (secret.size() > 8) CHECK(html.find(secret) == std::string::npos);
  }

  const std::string dom = HeadlessChromium(page, "", "--dump-dom");
  CHECK(CountOf(dom, "<tr class=\"finding\"") == findings);
  CHECK(ShownCount(dom) == std::to_string(findings));
  const bool banner = dom.find("id=\"incomplete\"") != std::string::npos ||
                      dom.find("id=\"complete\"") != std::string::npos;
  CHECK(banner);
  // Grouped by artifact and member: the APK's dex member has its own heading.
  CHECK(dom.find("/samples/android/app.apk!classes.dex</h4>") != std::string::npos);
  // Source-map originals are named as such.
  CHECK(dom.find("original source: ") != std::string::npos);

  // Filters from the URL hash: each narrows the table to exactly the matching findings.
  std::size_t secrets = 0, google = 0, secret_critical = 0;
  for (const auto& f : json["findings"]) {
    secrets += f["class"] == "secret";
    google += f["provider"] == "google";
    secret_critical += f["class"] == "secret" && f["severity"] == "critical";
  }
  REQUIRE(secrets > 0);
  REQUIRE(secrets < findings);
  const std::string by_class = HeadlessChromium(page, "#class=secret", "--dump-dom");
  CHECK(CountOf(by_class, "<tr class=\"finding\"") == secrets);
  CHECK(CountOf(by_class, "data-class=\"publishable\"") == 0);
  const std::string by_provider = HeadlessChromium(page, "#provider=google", "--dump-dom");
  CHECK(CountOf(by_provider, "<tr class=\"finding\"") == google);
  const std::string both = HeadlessChromium(page, "#class=secret&severity=critical", "--dump-dom");
  CHECK(CountOf(both, "<tr class=\"finding\"") == secret_critical);
  const std::string by_path = HeadlessChromium(page, "#path=ios/", "--dump-dom");
  CHECK(ShownCount(by_path) != "0");
  CHECK(CountOf(by_path, "<tr class=\"finding\"") < findings);
  CHECK(by_path.find("<h3>android/") == std::string::npos);  // other artifacts filtered out

  const auto png = d.path() / "shot.png";
  HeadlessChromium(page, "", "--screenshot=" + Q(png));
  const std::string shot = Slurp(png);
  REQUIRE(shot.size() > 1000);
  CHECK(shot.compare(0, 4, "\x89PNG") == 0);
}

TEST_CASE("html report escapes hostile names and snippets; --no-redact shows secrets") {
  TempDir d;
  const auto leak = d.Write("<img src=x onerror=alert(1)>.js",
                            "const t = \"" + kGithub + "\"; // </script><script>alert(2)\n");
  const auto page = d.path() / "report.html";
  REQUIRE(RunLeakproof("scan -q --format html -o " + Q(page) + " " + Q(d.path())).exit_code == 1);
  const std::string html = Slurp(page);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("</script><script>alert") == std::string::npos);
  CHECK(html.find(kGithub) == std::string::npos);
  const std::string dom = HeadlessChromium(page, "", "--dump-dom");
  CHECK(CountOf(dom, "<tr class=\"finding\"") == 1);
  CHECK(dom.find("<img") == std::string::npos);  // shown as text, not made an element
  CHECK(dom.find("&lt;img src=x onerror=alert(1)&gt;.js") != std::string::npos);
  CHECK(dom.find("alert(2)") != std::string::npos);            // the snippet is shown...
  CHECK(CountOf(dom, "<script") == CountOf(html, "<script"));  // ...and added no script

  const auto open = d.path() / "open.html";
  REQUIRE(
      RunLeakproof("scan -q --no-redact --format html -o " + Q(open) + " " + Q(leak)).exit_code ==
      1);
  CHECK(Slurp(open).find(kGithub) != std::string::npos);
}

TEST_CASE("html report shows incomplete scans and diagnostics prominently") {
  TempDir d;
  d.Write("a.js", "const t = \"" + kGithub + "\";\n");
  d.Write("big.js", std::string(4096, 'x'));
  const auto page = d.path() / "report.html";
  auto r = RunLeakproof("scan -q --max-file-size 1KB --format html -o " + Q(page) + " " +
                        Q(d.path() / "a.js") + " " + Q(d.path() / "big.js"));
  REQUIRE(r.exit_code == 1);
  const std::string dom = HeadlessChromium(page, "", "--dump-dom");
  CHECK(dom.find("id=\"incomplete\"") != std::string::npos);
  CHECK_THAT(dom, Catch::Contains("INCOMPLETE SCAN"));
  CHECK_THAT(dom, Catch::Contains("limit-exceeded"));
  CHECK(CountOf(dom, "<tr class=\"diagnostic\"") >= 1);
}

TEST_CASE("html report renders at most 5000 rows and says so") {
  TempDir d;
  nlohmann::json doc = {{"version", 1}, {"findings", nlohmann::json::array()}, {"complete", true}};
  for (int i = 0; i < 6000; ++i) {
    doc["findings"].push_back(
        {{"rule_id", "github.personal-access-token"},
         {"class", "secret"},
         {"severity", "critical"},
         {"provider", "github"},
         {"secret", "ghp_\xE2\x80\xA6"},
         {"location", {{"path", "f" + std::to_string(i) + ".js"}, {"line", 1}}}});
  }
  const auto report = d.Write("big.json", doc.dump());
  const auto page = d.path() / "big.html";
  REQUIRE(RunLeakproof("merge -q -f html -o " + Q(page) + " " + Q(report)).exit_code == 0);
  const std::string dom = HeadlessChromium(page, "", "--dump-dom");
  CHECK(CountOf(dom, "<tr class=\"finding\"") == 5000);
  CHECK(ShownCount(dom) == "6000");
  CHECK(dom.find("id=\"row-limit\"") != std::string::npos);
  const std::string narrowed = HeadlessChromium(page, "#path=f59", "--dump-dom");
  CHECK(CountOf(narrowed, "<tr class=\"finding\"") == 111);  // f59, f590..f599, f5900..f5999
  CHECK(narrowed.find("id=\"row-limit\"") == std::string::npos);
}
