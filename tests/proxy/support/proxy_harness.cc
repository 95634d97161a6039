// Implementation of the proxy test harness (see proxy_harness.h). Plain POSIX sockets and
// posix_spawn keep this file free of Beast, so the test binary compiles quickly.
#include "proxy/support/proxy_harness.h"

#include "leakproof/proxy/jwt.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace leakproof::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

bool IEquals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Parses one response from `data`; returns bytes consumed, 0 if incomplete.
size_t ParseResponse(const std::string& data, bool at_eof, bool no_body, HttpResponse& out) {
  size_t head_end = data.find("\r\n\r\n");
  if (head_end == std::string::npos) return 0;
  HttpResponse r;
  std::istringstream head(data.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  if (line.size() < 12) return 0;
  r.status = std::atoi(line.c_str() + 9);
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers.emplace_back(line.substr(0, colon), value);
  }
  size_t pos = head_end + 4;
  if (no_body || r.status == 204 || r.status == 304 || r.status / 100 == 1) {
    out = r;
    return pos;
  }
  std::string te = r.Header("Transfer-Encoding"), cl = r.Header("Content-Length");
  if (!te.empty()) {
    while (true) {
      size_t eol = data.find("\r\n", pos);
      if (eol == std::string::npos) return 0;
      size_t n = std::strtoul(data.substr(pos, eol - pos).c_str(), nullptr, 16);
      if (data.size() < eol + 2 + n + 2) return 0;
      r.body += data.substr(eol + 2, n);
      pos = eol + 2 + n + 2;
      if (n == 0) break;
    }
  } else if (!cl.empty()) {
    size_t n = std::strtoul(cl.c_str(), nullptr, 10);
    if (data.size() < pos + n) return 0;
    r.body = data.substr(pos, n);
    pos += n;
  } else {
    if (!at_eof) return 0;
    r.body = data.substr(pos);
    pos = data.size();
  }
  out = r;
  return pos;
}

std::string MakeTempDir() {
  char tmpl[] = "/tmp/leakproof-proxy-test-XXXXXX";
  char* d = mkdtemp(tmpl);
  if (d == nullptr) throw std::runtime_error("mkdtemp failed");
  return d;
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
    s.replace(p, from.size(), to);
  }
  return s;
}

// Polls `path` for a line "<prefix><number>" for up to `timeout`.
int WaitForNumber(const std::string& path, const std::string& prefix, milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    std::string content = ReadWholeFile(path);
    size_t p = content.find(prefix);
    if (p != std::string::npos) {
      size_t eol = content.find('\n', p);
      if (eol != std::string::npos) return std::atoi(content.c_str() + p + prefix.size());
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
  return 0;
}

}  // namespace

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string HttpResponse::Header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) return v;
  }
  return "";
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::vector<std::pair<std::string, std::string>>& extra_env,
                           const std::string& stdout_path, const std::string& stderr_path) {
  std::vector<std::string> env_storage;
  for (char** e = environ; *e != nullptr; ++e) env_storage.emplace_back(*e);
  for (const auto& [k, v] : extra_env) env_storage.push_back(k + "=" + v);
  std::vector<char*> envp, args;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& a : argv_copy) args.push_back(a.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (!stdout_path.empty()) {
    posix_spawn_file_actions_addopen(&fa, 1, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
  }
  if (!stderr_path.empty()) {
    posix_spawn_file_actions_addopen(&fa, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
  }
  pid_t pid = -1;
  if (posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), envp.data()) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&fa);
  pid_ = pid;
}

ChildProcess::~ChildProcess() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

Connection::Connection(int port) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd_);
    fd_ = -1;
    return;
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

Connection::~Connection() {
  if (fd_ >= 0) close(fd_);
}

bool Connection::Write(const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

std::string Connection::ReadSome(milliseconds timeout) {
  if (!pending_.empty()) return std::exchange(pending_, "");
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return "";
  char buf[16384];
  ssize_t n = recv(fd_, buf, sizeof(buf), 0);
  if (n <= 0) {
    closed_ = true;
    return "";
  }
  return std::string(buf, static_cast<size_t>(n));
}

HttpResponse Connection::ReadResponse(milliseconds timeout, bool no_body) {
  auto deadline = Clock::now() + timeout;
  std::string data = std::exchange(pending_, "");
  HttpResponse r;
  while (true) {
    size_t used = ParseResponse(data, closed_, no_body, r);
    if (used > 0) {
      pending_ = data.substr(used);
      return r;
    }
    if (closed_ || Clock::now() >= deadline) return HttpResponse{};
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    data += ReadSome(std::max(milliseconds(1), left));
  }
}

ProxyFixture::ProxyFixture(const std::string& config_body,
                           const std::vector<std::pair<std::string, std::string>>& env,
                           const std::string& vault_token) {
  dir_ = MakeTempDir();
  const std::string src = LEAKPROOF_SOURCE_DIR;
  upstream_ =
      new ChildProcess({"python3", src + "/tests/proxy/support/fake_upstream.py", vault_token}, {},
                       dir_ + "/upstream.out", dir_ + "/upstream.err");
  upstream_port_ = WaitForNumber(dir_ + "/upstream.out", "", std::chrono::seconds(10));
  if (upstream_port_ == 0) throw std::runtime_error("fake upstream did not start");
  std::string config =
      "[server]\nlisten = \"127.0.0.1:0\"\nthreads = 2\nheader_timeout_ms = 1000\n"
      "body_timeout_ms = 2000\nidle_timeout_ms = 5000\nupstream_timeout_ms = 5000\n"
      "max_header_bytes = 8192\n\n"
      "[audit]\npath = \"" +
      dir_ + "/audit.jsonl\"\n\n" +
      Replace(Replace(config_body, "{UPSTREAM_PORT}", std::to_string(upstream_port_)), "{DIR}",
              dir_);
  WriteFile("bff.toml", config);
  std::vector<std::pair<std::string, std::string>> proxy_env = env;
  proxy_env.emplace_back("LP_TEST_SESSION_KEY", kSessionKey);
  proxy_ = new ChildProcess({LEAKPROOF_BINARY, "proxy", "--config", dir_ + "/bff.toml"}, proxy_env,
                            dir_ + "/proxy.out", dir_ + "/proxy.err");
  proxy_port_ = WaitForNumber(dir_ + "/proxy.err", "listening on port ", std::chrono::seconds(15));
  if (proxy_port_ == 0) {
    throw std::runtime_error("proxy did not start: " + ReadProxyStderr());
  }
}

ProxyFixture::~ProxyFixture() {
  delete proxy_;
  delete upstream_;
  std::string cmd = "rm -rf '" + dir_ + "'";
  if (std::getenv("LEAKPROOF_KEEP_TEST_DIRS") == nullptr) {
    int rc = std::system(cmd.c_str());
    (void)rc;
  }
}

std::string ProxyFixture::ReadAuditLog() const { return ReadWholeFile(dir_ + "/audit.jsonl"); }
std::string ProxyFixture::ReadProxyStderr() const { return ReadWholeFile(dir_ + "/proxy.err"); }

void ProxyFixture::WriteFile(const std::string& name, const std::string& content) const {
  // Write-then-rename, as Kubernetes and Vault Agent do, so readers never see half a file.
  std::string tmp = dir_ + "/." + name + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
  }
  std::rename(tmp.c_str(), (dir_ + "/" + name).c_str());
}

HttpResponse ProxyFixture::UpstreamGet(const std::string& target) const {
  Connection c(upstream_port_);
  c.Write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  return c.ReadResponse();
}

HttpResponse ProxyFixture::Send(const std::string& raw) const {
  Connection c(proxy_port_);
  c.Write(raw);
  return c.ReadResponse();
}

std::string ProxyFixture::SessionToken(const std::string& subject, long exp_offset_seconds) {
  long now = static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
  std::string claims = "{\"sub\":\"" + subject + "\",\"iss\":\"https://app.test\",\"aud\":" +
                       "\"leakproof\",\"exp\":" + std::to_string(now + exp_offset_seconds) + "}";
  return proxy::SignHs256(claims, kSessionKey);
}

std::string ProxyFixture::Request(const std::string& method, const std::string& target,
                                  const std::vector<std::pair<std::string, std::string>>& headers,
                                  const std::string& body, const std::string& subject) {
  std::map<std::string, std::string> h = {
      {"Host", "app.test"},
      {"X-Requested-With", "leakproof"},
      {"Origin", "https://app.test"},
      {"Cookie", "theme=dark; lp_session=" + SessionToken(subject)},
  };
  for (const auto& [k, v] : headers) {
    if (v.empty()) {
      h.erase(k);
    } else {
      h[k] = v;
    }
  }
  std::string raw = method + " " + target + " HTTP/1.1\r\n";
  for (const auto& [k, v] : h) raw += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST") {
    raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return raw + "\r\n" + body;
}

}  // namespace leakproof::testing
