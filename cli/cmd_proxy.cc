// `leakproof proxy --config bff.toml`: run the credential-injecting BFF proxy
// (docs/proxy.md). Exit 2 when the config is rejected (the message names the key);
// otherwise serves until SIGINT/SIGTERM and exits 0. SIGHUP reloads config and secrets.
// `--print-pin [--cert FILE]` prints the SPKI pin of the proxy's TLS certificate for
// mobile apps that pin the BFF.
#include "leakproof/proxy/server.h"
#include "leakproof/proxy/spki_pin.h"

#include "command.h"

#include <cstdio>
#include <memory>
#include <string>

namespace leakproof::cli {
namespace {

struct ProxyOptions {
  std::string config_path;
  std::string cert_path;
  bool check_only = false;
  bool print_pin = false;
};

// The certificate is --cert, else the config's server.tls_cert.
int PrintPin(const ProxyOptions& opts) {
  std::string cert = opts.cert_path;
  if (cert.empty()) {
    if (opts.config_path.empty()) {
      std::fprintf(stderr, "leakproof proxy: --print-pin needs --cert FILE or --config\n");
      return 2;
    }
    auto cfg = proxy::LoadConfig(opts.config_path);
    if (!cfg.ok()) {
      std::fprintf(stderr, "leakproof proxy: %s\n", cfg.status().message().c_str());
      return 2;
    }
    if (cfg->server.tls_cert.empty()) {
      std::fprintf(stderr,
                   "leakproof proxy: %s: server.tls_cert is not set (the proxy serves plain "
                   "HTTP, there is nothing to pin); pass --cert FILE for the certificate your "
                   "load balancer presents\n",
                   opts.config_path.c_str());
      return 2;
    }
    cert = cfg->server.tls_cert;
  }
  auto pin = proxy::SpkiPinOfPemFile(cert);
  if (!pin.ok()) {
    std::fprintf(stderr, "leakproof proxy: %s\n", pin.status().message().c_str());
    return 2;
  }
  std::printf("# SPKI SHA-256 pin of %s (%s)\n", pin->subject.c_str(), cert.c_str());
  std::printf("spki-sha256: %s\n", pin->sha256_base64.c_str());
  std::printf("okhttp: sha256/%s\n", pin->sha256_base64.c_str());
  std::printf("ios: <key>SPKI-SHA256-BASE64</key><string>%s</string>\n",
              pin->sha256_base64.c_str());
  std::fprintf(stderr,
               "leakproof proxy: also pin a backup key (the next key, or your CA's): a pin on "
               "one key locks the app out when that key changes\n");
  return 0;
}

int RunProxy(const ProxyOptions& opts) {
  if (opts.print_pin) return PrintPin(opts);
  if (opts.config_path.empty()) {
    std::fprintf(stderr, "leakproof proxy: --config is required\n");
    return 2;
  }
  if (opts.check_only) {
    auto cfg = proxy::LoadConfig(opts.config_path);
    if (!cfg.ok()) {
      std::fprintf(stderr, "leakproof proxy: %s\n", cfg.status().message().c_str());
      return 2;
    }
    for (const auto& w : cfg->warnings) std::fprintf(stderr, "leakproof proxy: %s\n", w.c_str());
    std::fprintf(stderr, "leakproof proxy: %s: ok (%zu routes)\n", opts.config_path.c_str(),
                 cfg->routes.size());
    return 0;
  }
  auto server = proxy::Server::Create(opts.config_path);
  if (!server.ok()) {
    std::fprintf(stderr, "leakproof proxy: %s\n", server.status().message().c_str());
    return 2;
  }
  std::fprintf(stderr, "leakproof proxy: listening on port %u\n",
               static_cast<unsigned>((*server)->port()));
  return (*server)->Run();
}

}  // namespace

void SetupProxyCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ProxyOptions>();
  auto* cmd = app.add_subcommand("proxy", "Run the credential-injecting BFF proxy");
  cmd->add_option("--config", opts->config_path, "Proxy config (bff.toml)");
  cmd->add_flag("--check", opts->check_only, "Validate the config and exit");
  cmd->add_flag("--print-pin", opts->print_pin,
                "Print the SPKI SHA-256 pin of the TLS certificate (OkHttp and iOS forms)");
  cmd->add_option("--cert", opts->cert_path,
                  "With --print-pin: PEM certificate (default: the config's server.tls_cert)");
  cmd->callback([opts, &exit_code] { exit_code = RunProxy(*opts); });
}

}  // namespace leakproof::cli
