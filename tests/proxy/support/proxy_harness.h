// Test support for the proxy integration tests: starts the fake upstream
// (fake_upstream.py) and a real `leakproof proxy` process on 127.0.0.1, and speaks raw
// HTTP/1.1 over loopback sockets, so tests can also send malformed or slow requests that
// a well-behaved HTTP client library would refuse to produce. All secrets are fake.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace leakproof::testing {

// A child process killed (SIGTERM, then SIGKILL) and reaped on destruction.
class ChildProcess {
 public:
  // stdout goes to `stdout_path` and stderr to `stderr_path` ("" = inherit).
  ChildProcess(const std::vector<std::string>& argv,
               const std::vector<std::pair<std::string, std::string>>& extra_env,
               const std::string& stdout_path, const std::string& stderr_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  int pid() const { return pid_; }

 private:
  int pid_ = -1;
};

struct HttpResponse {
  int status = 0;  // 0 = no (complete) response
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string Header(const std::string& name) const;  // case-insensitive, "" if absent
};

// One loopback TCP connection with raw reads/writes, every call bounded in time.
class Connection {
 public:
  explicit Connection(int port);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  bool ok() const { return fd_ >= 0; }
  bool Write(const std::string& data);
  // Reads what is available within `timeout`; "" on timeout; sets closed() on EOF.
  std::string ReadSome(std::chrono::milliseconds timeout);
  // Reads one full response (Content-Length, chunked, or until close).
  // `no_body`: the request was HEAD, so a Content-Length describes no bytes.
  HttpResponse ReadResponse(std::chrono::milliseconds timeout = std::chrono::seconds(10),
                            bool no_body = false);
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  bool closed_ = false;
  std::string pending_;
};

// Temp dir + fake upstream + proxy. `config_template` may use {UPSTREAM_PORT} and {DIR};
// the fixture adds the [server] listen line (port 0) and [audit] path itself.
class ProxyFixture {
 public:
  ProxyFixture(const std::string& config_body,
               const std::vector<std::pair<std::string, std::string>>& env,
               const std::string& vault_token = "fake-vault-token");
  ~ProxyFixture();

  int proxy_port() const { return proxy_port_; }
  int proxy_pid() const { return proxy_->pid(); }
  int upstream_port() const { return upstream_port_; }
  const std::string& dir() const { return dir_; }
  std::string ReadAuditLog() const;  // the audit file's contents
  std::string ReadProxyStderr() const;
  void WriteFile(const std::string& name, const std::string& content) const;
  // Direct GET to the fake upstream (test control endpoints).
  HttpResponse UpstreamGet(const std::string& target) const;
  // One request on a fresh connection.
  HttpResponse Send(const std::string& raw) const;

  // Test session: an HS256 JWT signed with kSessionKey.
  static constexpr const char* kSessionKey = "fake-session-signing-key-0123456789abcdef";
  static std::string SessionToken(const std::string& subject, long exp_offset_seconds = 3600);
  // A well-formed request with session cookie, CSRF header and Origin set.
  static std::string Request(const std::string& method, const std::string& target,
                             const std::vector<std::pair<std::string, std::string>>& headers = {},
                             const std::string& body = "", const std::string& subject = "alice");

 private:
  std::string dir_;
  int upstream_port_ = 0;
  int proxy_port_ = 0;
  ChildProcess* upstream_ = nullptr;
  ChildProcess* proxy_ = nullptr;
};

// Reads a whole file ("" if missing).
std::string ReadWholeFile(const std::string& path);

}  // namespace leakproof::testing
