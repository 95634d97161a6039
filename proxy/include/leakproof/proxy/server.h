// `leakproof proxy`: the credential-injecting BFF proxy server (docs/proxy.md).
//
// Server owns the listener, the I/O threads and the current configuration snapshot.
// Run() blocks until SIGINT/SIGTERM or Stop(); SIGHUP (or Reload()) re-reads the config
// file and every secret without dropping connections. Not copyable or movable: I/O
// threads hold pointers into it.
#pragma once

#include "leakproof/proxy/config.h"

#include <cstdint>
#include <memory>
#include <string>

namespace leakproof::proxy {

class Server {
 public:
  // Loads and validates the config and opens the listening socket.
  static Result<std::unique_ptr<Server>> Create(const std::string& config_path);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Serves until stopped; returns the process exit code (0).
  int Run();
  // Thread-safe; makes Run() return after in-flight handlers unwind.
  void Stop();
  // Re-reads config + secrets; on error the old configuration stays and the error is
  // returned (the listener address and TLS files are not changed by a reload).
  Status Reload();
  // The bound port (useful with listen port 0).
  uint16_t port() const;

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace leakproof::proxy
