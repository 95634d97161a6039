// The --verify result cache (verify_cache.h).
#include "verify/verify_cache.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace leakproof::proxy::verify {
namespace {

using scanner::RuleClass;
using scanner::Verification;

std::string DefaultDir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x != nullptr && *x != '\0') {
    return std::string(x) + "/leakproof";
  }
  if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0') {
    return std::string(h) + "/.cache/leakproof";
  }
  return "";
}

long long Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Verification::State StateFrom(const std::string& s) {
  if (s == "live") return Verification::State::kLive;
  if (s == "rejected") return Verification::State::kRejected;
  if (s == "unknown") return Verification::State::kUnknown;
  return Verification::State::kNotChecked;
}

}  // namespace

VerifyCache::VerifyCache(const std::string& dir, std::chrono::seconds ttl) : ttl_(ttl) {
  if (dir == "-" || ttl.count() <= 0) return;
  const std::string d = dir.empty() ? DefaultDir() : dir;
  if (d.empty()) return;
  path_ = d + "/verify-cache.json";
  hash_key_ = scanner::LoadSecretHashKey(dir);
  std::ifstream in(path_, std::ios::binary);
  if (!in) return;
  std::stringstream ss;
  ss << in.rdbuf();
  auto doc = nlohmann::json::parse(ss.str(), nullptr, false);
  if (!doc.is_object() || !doc.contains("entries") || !doc["entries"].is_object()) return;
  const long long now = Now();
  for (const auto& [k, e] : doc["entries"].items()) {
    if (!e.is_object() || e.value("expires", 0LL) <= now) continue;
    Entry entry;
    entry.expires = e.value("expires", 0LL);
    entry.v.state = StateFrom(e.value("state", std::string()));
    if (entry.v.state == Verification::State::kNotChecked) continue;
    entry.v.http_status = e.value("http_status", 0);
    entry.v.identity = e.value("identity", std::string());
    entry.v.evidence = e.value("evidence", std::string());
    if (auto c = scanner::ParseRuleClass(e.value("settled_class", std::string())); c.ok()) {
      entry.v.settled_class = *c;
    }
    entries_[k] = std::move(entry);
  }
}

std::string VerifyCache::Key(const std::string& provider, const std::string& secret,
                             const std::string& partner) const {
  return scanner::SecretHash(hash_key_, "verify\n" + provider + "\n" + secret + "\n" + partner);
}

std::optional<Verification> VerifyCache::Find(const std::string& key) const {
  if (path_.empty()) return std::nullopt;
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  Verification v = it->second.v;
  v.evidence += " (cached)";
  return v;
}

void VerifyCache::Put(const std::string& key, const Verification& v) {
  if (path_.empty() || v.http_status == 0 || v.state == Verification::State::kError ||
      v.state == Verification::State::kNotChecked) {
    return;  // no answer, or an error (timeout, 5xx), says nothing about the key: ask again
  }
  entries_[key] = {v, Now() + ttl_.count()};
  dirty_ = true;
}

bool VerifyCache::Save() {
  if (path_.empty() || !dirty_) return true;
  nlohmann::json entries = nlohmann::json::object();
  for (const auto& [k, e] : entries_) {
    nlohmann::json j = {{"state", scanner::VerificationStateName(e.v.state)},
                        {"http_status", e.v.http_status},
                        {"identity", e.v.identity},
                        {"evidence", e.v.evidence},
                        {"expires", e.expires}};
    if (e.v.settled_class) j["settled_class"] = scanner::RuleClassName(*e.v.settled_class);
    entries[k] = std::move(j);
  }
  const std::string text = nlohmann::json({{"version", 1}, {"entries", entries}}).dump(1) + "\n";
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ec);
  std::string tmp = path_ + ".XXXXXX";
  int fd = ::mkstemp(tmp.data());  // 0600
  if (fd < 0) return false;
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fchmod(fd, 0600) == 0 && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path_.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return false;
  }
  dirty_ = false;
  return true;
}

}  // namespace leakproof::proxy::verify
