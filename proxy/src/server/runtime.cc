// Runtime snapshot construction and session-key caching (see runtime.h).
#include "runtime.h"

#include <openssl/evp.h>

#include <fstream>
#include <sstream>

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

Result<std::shared_ptr<Runtime>> Runtime::Create(Config config) {
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
    refs.push_back(r.credential.source);
  }
  rt->audit_ = std::make_unique<AuditLog>(rt->config_.audit.path);
  rt->secrets_ = std::make_unique<SecretStore>(std::move(refs), rt->config_.vault);
  rt->secrets_->Start();
  return rt;
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
    if (!secrets_->Get(r.credential.source)) {
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
