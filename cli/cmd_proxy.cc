// `leakproof proxy --config bff.toml`: run the credential-injecting BFF proxy
// (docs/proxy.md). Exit 2 when the config is rejected (the message names the key);
// otherwise serves until SIGINT/SIGTERM and exits 0. SIGHUP reloads config and secrets.
#include "leakproof/proxy/server.h"

#include "command.h"

#include <cstdio>
#include <memory>
#include <string>

namespace leakproof::cli {
namespace {

struct ProxyOptions {
  std::string config_path;
  bool check_only = false;
};

int RunProxy(const ProxyOptions& opts) {
  if (opts.check_only) {
    auto cfg = proxy::LoadConfig(opts.config_path);
    if (!cfg.ok()) {
      std::fprintf(stderr, "leakproof proxy: %s\n", cfg.status().message().c_str());
      return 2;
    }
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
  cmd->add_option("--config", opts->config_path, "Proxy config (bff.toml)")->required();
  cmd->add_flag("--check", opts->check_only, "Validate the config and exit");
  cmd->callback([opts, &exit_code] { exit_code = RunProxy(*opts); });
}

}  // namespace leakproof::cli
