// Runtime snapshot construction and session-key caching (see runtime.h).
#include "runtime.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace leakproof::proxy {
namespace {

Result<std::string> ReadFile(const std::string& path, const std::string& key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(key + ": cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Result<std::shared_ptr<Runtime>> Runtime::Create(Config config, const Runtime* previous) {
  auto rt = std::shared_ptr<Runtime>(new Runtime());
  rt->config_ = std::move(config);
  const SessionConfig& s = rt->config_.session;
  std::vector<std::string> refs;
  if (s.mode == SessionMode::kJwt) {
    if (s.jwt_alg == JwtAlg::kHs256) {
      refs.push_back(s.jwt_secret);
    } else if (!s.jwt_public_key_file.empty()) {
      auto pem = ReadFile(s.jwt_public_key_file, "session.jwt_public_key_file");
      if (!pem.ok()) return pem.status();
      rt->public_key_pem_ = std::move(*pem);
    } else {
      auto jwks = ReadFile(s.jwks_file, "session.jwks_file");
      if (!jwks.ok()) return jwks.status();
      rt->jwks_json_ = std::move(*jwks);
    }
    if (s.jwt_alg != JwtAlg::kHs256) {
      // Validate the key now so a bad key file is a start-up error naming the key.
      auto v = JwtVerifier::Create(s, "", rt->public_key_pem_, rt->jwks_json_);
      if (!v.ok()) return v.status();
      rt->verifier_ = std::move(*v);
    }
  }
  for (const auto& r : rt->config_.routes) {
    rt->routes_[r.name] = &r;
    for (std::string& ref : CredentialRefs(r)) refs.push_back(std::move(ref));
  }
  auto audit = AuditLog::Open(rt->config_.audit.path);
  if (!audit.ok()) return audit.status();
  rt->audit_ = std::move(*audit);
  if (rt->config_.budget_store.redis) {
    // Connections open lazily: an unreachable Redis at start is an outage handled like
    // any other (fail open/closed, /readyz), not a reason to refuse to start.
    const BudgetStoreConfig& b = rt->config_.budget_store;
    int pool = b.pool_size;
    if (pool == 0) {
      pool = rt->config_.server.threads > 0
                 ? rt->config_.server.threads
                 : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
      pool += 1;  // + /readyz and /metrics probes
    }
    rt->shared_budgets_ = std::make_unique<RedisBudgetStore>(b, pool);
  }
  rt->secrets_ = std::make_unique<SecretStore>(std::move(refs), rt->config_.vault);
  rt->secrets_->Start(previous != nullptr ? previous->secrets_.get() : nullptr);
  if (Status st = rt->CheckSecretsAtStart(); !st.ok()) return st;
  return rt;
}

Status Runtime::CheckSecretsAtStart() const {
  const Config& c = config_;
  auto unset_env = [this](const std::string& ref) {
    return ref.starts_with("env:") && !secrets_->Get(ref);
  };
  // Unset env: never resolves later, so a route (or Vault) that needs it could never work.
  if (!c.vault.address.empty() && c.vault.token.starts_with("env:") &&
      std::getenv(c.vault.token.c_str() + 4) == nullptr) {
    return Status::InvalidArgument("vault.token: " + c.vault.token +
                                   ": environment variable is not set");
  }
  for (size_t i = 0; i < c.routes.size(); ++i) {
    const CredentialConfig& cred = c.routes[i].credential;
    for (const std::string& ref : CredentialRefs(c.routes[i])) {
      if (!unset_env(ref)) continue;
      const char* field = ref == cred.source ? "source" : "basic_username_source";
      return Status::InvalidArgument("routes[" + std::to_string(i) + "].credential." + field +
                                     ": " + secrets_->Error(ref) +
                                     " (a running process's environment cannot change, so "
                                     "route \"" +
                                     c.routes[i].name + "\" could never work)");
    }
  }
  if (c.session.mode == SessionMode::kJwt && c.session.jwt_alg == JwtAlg::kHs256) {
    SecretValue key = secrets_->Get(c.session.jwt_secret);
    if (!key) {
      return Status::InvalidArgument(
          "session.jwt_secret: " + secrets_->Error(c.session.jwt_secret) +
          " (without it no session can be verified)");
    }
    if (key->size() < kMinHs256KeyBytes) {
      return Status::InvalidArgument(
          "session.jwt_secret: " + c.session.jwt_secret + ": the HS256 key is " +
          std::to_string(key->size()) + " bytes; at least " + std::to_string(kMinHs256KeyBytes) +
          " are required (RFC 7518 3.2), e.g. `openssl rand -base64 48`");
    }
  }
  return Status::Ok();
}

std::vector<std::string> Runtime::CredentialRefs(const RouteConfig& route) {
  std::vector<std::string> refs{route.credential.source};
  if (!route.credential.basic_username_source.empty()) {
    refs.push_back(route.credential.basic_username_source);
  }
  return refs;
}

bool Runtime::CredentialLoaded(const RouteConfig& route) const {
  for (const std::string& ref : CredentialRefs(route)) {
    if (!secrets_->Get(ref)) return false;
  }
  return true;
}

bool Runtime::CredentialStale(const RouteConfig& route) const {
  for (const std::string& ref : CredentialRefs(route)) {
    if (secrets_->Stale(ref)) return true;
  }
  return false;
}

std::string Runtime::StaleNames() const {
  std::string out;
  for (const auto& r : config_.routes) {
    if (CredentialStale(r)) out += (out.empty() ? "" : ",") + r.name;
  }
  if (config_.session.mode == SessionMode::kJwt && config_.session.jwt_alg == JwtAlg::kHs256 &&
      secrets_->Stale(config_.session.jwt_secret)) {
    out += std::string(out.empty() ? "" : ",") + "session";
  }
  return out;
}

const RouteConfig* Runtime::FindRoute(std::string_view name) const {
  auto it = routes_.find(name);
  return it == routes_.end() ? nullptr : it->second;
}

std::shared_ptr<const JwtVerifier> Runtime::Verifier() const {
  const SessionConfig& s = config_.session;
  std::lock_guard lock(verifier_mu_);
  if (s.jwt_alg != JwtAlg::kHs256) return verifier_;
  SecretValue key = secrets_->Get(s.jwt_secret);
  if (!key) return nullptr;
  if (key.get() != verifier_key_) {
    // A rotated-in key shorter than the minimum is not used: the last good verifier stays
    // (and this check repeats, cheaply, until a good key arrives).
    if (key->size() < kMinHs256KeyBytes) return verifier_;
    auto v = JwtVerifier::Create(s, *key, "", "");
    verifier_ = v.ok() ? std::move(*v) : nullptr;
    verifier_key_ = key.get();
    verifier_key_hold_ = key;  // keeps the identity valid while cached
  }
  return verifier_;
}

bool Runtime::Ready(std::string* detail) const {
  bool ready = true;
  for (const auto& r : config_.routes) {
    if (!CredentialLoaded(r)) {
      ready = false;
      if (detail != nullptr) *detail += (detail->empty() ? "" : ",") + r.name;
    }
  }
  if (config_.session.mode == SessionMode::kJwt && !Verifier()) {
    ready = false;
    if (detail != nullptr) *detail += std::string(detail->empty() ? "" : ",") + "session";
  }
  return ready;
}

std::string_view CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? "" : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      std::string_view v = pair.substr(eq + 1);
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return v;
    }
  }
  return {};
}

std::string_view BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return {};
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

std::string HashId(std::string_view s) {
  // Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up (under locks) on
  // every call, and this runs for every request. Kept for the process's lifetime.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), md, &len, sha256 != nullptr ? sha256 : EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(16);
  for (unsigned int i = 0; i < 8 && i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

}  // namespace leakproof::proxy
