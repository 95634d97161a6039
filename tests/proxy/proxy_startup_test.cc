// Integration: what `leakproof proxy` refuses at start (issue 13) — an HS256 session key
// under 32 bytes, an unset env: secret, an audit path that cannot be opened, an http://
// upstream outside loopback — each with exit 2 and a message naming the key; and
// `--print-pin`, checked against an openssl pipeline over a certificate made here.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace leakproof::testing {
namespace {

struct CliResult {
  int rc = -1;
  std::string out, err;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/leakproof-startup-XXXXXX";
    path_ = mkdtemp(tmpl) != nullptr ? tmpl : "";
  }
  ~TempDir() {
    if (!path_.empty() && std::getenv("LEAKPROOF_KEEP_TEST_DIRS") == nullptr) {
      int rc = std::system(("rm -rf '" + path_ + "'").c_str());
      (void)rc;
    }
  }
  const std::string& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& content) const {
    std::ofstream(path_ + "/" + name, std::ios::binary) << content;
    return path_ + "/" + name;
  }

 private:
  std::string path_;
};

// Runs `leakproof <args>` with `env` added, bounded by `timeout 10` so a proxy that wrongly
// starts serving ends the test (exit 124) instead of hanging it.
CliResult RunCli(const TempDir& dir, const std::string& args,
                 const std::vector<std::pair<std::string, std::string>>& env = {}) {
  std::string cmd = "env -u LP_UNSET_ROUTE_KEY -u LP_UNSET_SESSION_KEY";
  for (const auto& [k, v] : env) cmd += " " + k + "='" + v + "'";
  cmd += " timeout 10 " + std::string(LEAKPROOF_BINARY) + " " + args + " >'" + dir.path() +
         "/out' 2>'" + dir.path() + "/err'";
  CliResult r;
  const int status = std::system(cmd.c_str());
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = Slurp(dir.path() + "/out");
  r.err = Slurp(dir.path() + "/err");
  return r;
}

// A config that would start: HS256 session key from env, one loopback route.
std::string Config(const std::string& extra_top, const std::string& jwt_secret,
                   const std::string& upstream, const std::string& source,
                   const std::string& route_extra = "") {
  return extra_top + "[server]\nlisten = \"127.0.0.1:0\"\n" + "[session]\njwt_secret = \"" +
         jwt_secret + "\"\n" + "[[routes]]\nname = \"r\"\nupstream = \"" + upstream +
         "\"\npaths = [\"/x\"]\n" + route_extra + "[routes.credential]\nsource = \"" + source +
         "\"\nauth = \"bearer\"\n";
}

const std::pair<std::string, std::string> kGoodKey = {"LP_SESSION_KEY",
                                                      "fake-session-key-0123456789abcdef-0123"};
const std::pair<std::string, std::string> kRouteKey = {"LP_ROUTE_KEY", "FAKESECRET-route"};

}  // namespace

TEST_CASE("start refuses an HS256 session key under 32 bytes", "[proxy]") {
  TempDir d;
  d.Write("bff.toml", Config("[audit]\npath = \"" + d.path() + "/audit.jsonl\"\n",
                             "env:LP_SESSION_KEY", "http://127.0.0.1:9", "env:LP_ROUTE_KEY"));
  CliResult r = RunCli(d, "proxy --config " + d.path() + "/bff.toml",
                       {{"LP_SESSION_KEY", "short-session-key-31-bytes-long"}, kRouteKey});
  INFO(r.err);
  CHECK(r.rc == 2);
  CHECK(r.err.find("session.jwt_secret") != std::string::npos);
  CHECK(r.err.find("31 bytes; at least 32") != std::string::npos);
  CHECK(r.err.find("short-session-key") == std::string::npos);  // never the value
}

TEST_CASE("start refuses an unset env: secret, naming the key", "[proxy]") {
  TempDir d;
  d.Write("bff.toml", Config("[audit]\npath = \"" + d.path() + "/audit.jsonl\"\n",
                             "env:LP_UNSET_SESSION_KEY", "http://127.0.0.1:9", "env:LP_ROUTE_KEY"));
  CliResult r = RunCli(d, "proxy --config " + d.path() + "/bff.toml", {kRouteKey});
  INFO(r.err);
  CHECK(r.rc == 2);
  CHECK(r.err.find("session.jwt_secret: env:LP_UNSET_SESSION_KEY: environment variable is not "
                   "set") != std::string::npos);

  d.Write("bff.toml", Config("[audit]\npath = \"" + d.path() + "/audit.jsonl\"\n",
                             "env:LP_SESSION_KEY", "http://127.0.0.1:9", "env:LP_UNSET_ROUTE_KEY"));
  r = RunCli(d, "proxy --config " + d.path() + "/bff.toml", {kGoodKey});
  INFO(r.err);
  CHECK(r.rc == 2);
  CHECK(r.err.find("routes[0].credential.source: env:LP_UNSET_ROUTE_KEY") != std::string::npos);

  // A key pair's identifier half (the Basic user name) is a secret reference too.
  std::string pair = Config("[audit]\npath = \"" + d.path() + "/audit.jsonl\"\n",
                            "env:LP_SESSION_KEY", "http://127.0.0.1:9", "env:LP_ROUTE_KEY");
  pair.replace(pair.find("auth = \"bearer\""), 15,
               "auth = \"basic\"\nbasic_role = \"password\"\n"
               "basic_username_source = \"env:LP_UNSET_ROUTE_KEY\"");
  d.Write("bff.toml", pair);
  r = RunCli(d, "proxy --config " + d.path() + "/bff.toml", {kGoodKey, kRouteKey});
  INFO(r.err);
  CHECK(r.rc == 2);
  CHECK(r.err.find("routes[0].credential.basic_username_source: env:LP_UNSET_ROUTE_KEY") !=
        std::string::npos);
}

TEST_CASE("start refuses an audit path that cannot be opened (no stderr fallback)", "[proxy]") {
  TempDir d;
  for (const std::string& bad : {d.path() + "/no/such/dir/audit.jsonl", d.path()}) {
    d.Write("bff.toml", Config("[audit]\npath = \"" + bad + "\"\n", "env:LP_SESSION_KEY",
                               "http://127.0.0.1:9", "env:LP_ROUTE_KEY"));
    CliResult r = RunCli(d, "proxy --config " + d.path() + "/bff.toml", {kGoodKey, kRouteKey});
    INFO(bad << "\n" << r.err);
    CHECK(r.rc == 2);
    CHECK(r.err.find("audit.path: cannot open " + bad) != std::string::npos);
    CHECK(r.err.find("listening") == std::string::npos);
  }
}

TEST_CASE("--check refuses http:// upstreams outside loopback; the lab opt-in warns loudly",
          "[proxy]") {
  TempDir d;
  d.Write("bff.toml",
          Config("", "env:LP_SESSION_KEY", "http://api.provider.test/v1", "env:LP_ROUTE_KEY"));
  CliResult r = RunCli(d, "proxy --check --config " + d.path() + "/bff.toml");
  INFO(r.err);
  CHECK(r.rc == 2);
  CHECK(r.err.find("routes[0].upstream") != std::string::npos);
  CHECK(r.err.find("clear text") != std::string::npos);

  d.Write("bff.toml", Config("", "env:LP_SESSION_KEY", "http://api.provider.test/v1",
                             "env:LP_ROUTE_KEY", "allow_insecure_upstream = true\n"));
  r = RunCli(d, "proxy --check --config " + d.path() + "/bff.toml");
  INFO(r.err);
  CHECK(r.rc == 0);
  CHECK(r.err.find("WARNING: allow_insecure_upstream = true") != std::string::npos);
  CHECK(r.err.find("api.provider.test") != std::string::npos);
}

TEST_CASE("--print-pin prints the SPKI SHA-256 pin in OkHttp and iOS forms", "[proxy]") {
  TempDir d;
  const std::string& p = d.path();
  REQUIRE(
      std::system(("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
                   "-keyout '" +
                   p + "/key.pem' -out '" + p + "/cert.pem' -subj /CN=bff.test -days 2 2>/dev/null")
                      .c_str()) == 0);
  // The reference pin, computed independently by the openssl CLI.
  REQUIRE(std::system(("openssl x509 -in '" + p +
                       "/cert.pem' -pubkey -noout | openssl pkey "
                       "-pubin -outform der | openssl dgst -sha256 -binary | base64 > '" +
                       p + "/pin.txt'")
                          .c_str()) == 0);
  std::string expected = Slurp(p + "/pin.txt");
  while (!expected.empty() && (expected.back() == '\n' || expected.back() == '\r')) {
    expected.pop_back();
  }
  REQUIRE(expected.size() == 44);  // base64 of 32 bytes

  CliResult r = RunCli(d, "proxy --print-pin --cert " + p + "/cert.pem");
  INFO(r.out << r.err);
  CHECK(r.rc == 0);
  CHECK(r.out.find("okhttp: sha256/" + expected + "\n") != std::string::npos);
  CHECK(r.out.find("<key>SPKI-SHA256-BASE64</key><string>" + expected + "</string>") !=
        std::string::npos);
  CHECK(r.out.find("CN=bff.test") != std::string::npos);

  // From the config's server TLS certificate.
  d.Write("bff.toml", "[server]\ntls_cert = \"" + p + "/cert.pem\"\ntls_key = \"" + p +
                          "/key.pem\"\n" +
                          Config("", "env:LP_SESSION_KEY", "http://127.0.0.1:9", "env:LP_ROUTE_KEY")
                              .substr(std::string("[server]\n").size()));
  r = RunCli(d, "proxy --print-pin --config " + p + "/bff.toml");
  INFO(r.out << r.err);
  CHECK(r.rc == 0);
  CHECK(r.out.find("okhttp: sha256/" + expected + "\n") != std::string::npos);

  // Nothing to pin, or not a certificate: exit 2 with the reason.
  d.Write("plain.toml", Config("", "env:LP_SESSION_KEY", "http://127.0.0.1:9", "env:LP_ROUTE_KEY"));
  r = RunCli(d, "proxy --print-pin --config " + p + "/plain.toml");
  CHECK(r.rc == 2);
  CHECK(r.err.find("server.tls_cert is not set") != std::string::npos);
  r = RunCli(d, "proxy --print-pin --cert " + p + "/key.pem");
  CHECK(r.rc == 2);
  CHECK(r.err.find("no PEM certificate") != std::string::npos);
}

}  // namespace leakproof::testing
