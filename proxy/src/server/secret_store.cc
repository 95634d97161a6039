// Secret resolution and rotation (see secret_store.h). On a failed *refresh* the last good
// value is kept: Kubernetes swaps secret files through a symlink flip and Vault can blip,
// and a transient miss must not take a working route down. A reference that never loaded
// stays empty, which makes its route answer 503 and /readyz fail.
#include "leakproof/proxy/secret_store.h"

#include "leakproof/proxy/http_fetch.h"
#include "leakproof/proxy/injection.h"

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <sys/stat.h>
#include <thread>

namespace leakproof::proxy {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kMaxSecretBytes = 64 * 1024;

struct FileStamp {
  int64_t mtime_ns = -1;
  int64_t size = -1;
  uint64_t inode = 0;
  bool operator==(const FileStamp&) const = default;
};

FileStamp StatFile(const std::string& path) {
  struct stat st {};
  FileStamp s;
  if (::stat(path.c_str(), &st) != 0) return s;
  s.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  s.size = static_cast<int64_t>(st.st_size);
  s.inode = static_cast<uint64_t>(st.st_ino);
  return s;
}

void Wipe(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
}

Result<std::string> ReadVault(const std::string& ref, const VaultConfig& vault, uint64_t* version) {
  // vault:<mount>/data/<path>#<field>
  std::string spec = ref.substr(6);
  size_t hash = spec.rfind('#');
  std::string api_path = spec.substr(0, hash), field = spec.substr(hash + 1);
  auto token = ReadSecretRef(vault.token, vault);
  if (!token.ok()) return Status::NotFound(ref + ": vault token: " + token.status().message());
  std::vector<std::pair<std::string, std::string>> headers = {{"X-Vault-Token", *token}};
  if (!vault.nspace.empty()) headers.emplace_back("X-Vault-Namespace", vault.nspace);
  std::string address = vault.address;
  while (!address.empty() && address.back() == '/') address.pop_back();
  auto res = HttpGet(address + "/v1/" + api_path, headers, 10000, vault.ca_file);
  Wipe(*token);
  for (auto& h : headers) Wipe(h.second);
  if (!res.ok()) return Status::IOError(ref + ": " + res.status().message());
  if (res->status != 200) {
    Wipe(res->body);
    return Status::NotFound(ref + ": vault answered HTTP " + std::to_string(res->status));
  }
  auto doc = nlohmann::json::parse(res->body, nullptr, false);
  Wipe(res->body);
  auto* data = doc.is_object() && doc.contains("data") ? &doc["data"] : nullptr;
  if (data == nullptr || !data->is_object() || !data->contains("data") ||
      !(*data)["data"].is_object() || !(*data)["data"].contains(field) ||
      !(*data)["data"][field].is_string()) {
    return Status::NotFound(ref + ": no string field \"" + field + "\" in the KV v2 response");
  }
  std::string value = (*data)["data"][field].get<std::string>();
  if (version != nullptr && (*data).contains("metadata") && (*data)["metadata"].is_object() &&
      (*data)["metadata"].contains("version") && (*data)["metadata"]["version"].is_number()) {
    *version = (*data)["metadata"]["version"].get<uint64_t>();
  }
  Wipe((*data)["data"][field].get_ref<std::string&>());
  return value;
}

}  // namespace

SecretValue MakeSecretValue(std::string value) {
  return SecretValue(new std::string(std::move(value)), [](const std::string* s) {
    auto* mut = const_cast<std::string*>(s);
    Wipe(*mut);
    delete s;
  });
}

Result<std::string> ReadSecretRef(const std::string& ref, const VaultConfig& vault,
                                  uint64_t* version) {
  std::string value;
  if (ref.starts_with("env:")) {
    const char* v = std::getenv(ref.c_str() + 4);
    if (v == nullptr) return Status::NotFound(ref + ": environment variable is not set");
    value = v;
  } else if (ref.starts_with("file:")) {
    std::ifstream in(ref.substr(5), std::ios::binary);
    if (!in) return Status::NotFound(ref + ": cannot open file");
    std::ostringstream ss;
    ss << in.rdbuf();
    value = ss.str();
    if (value.ends_with("\r\n")) {
      value.resize(value.size() - 2);
    } else if (value.ends_with("\n")) {
      value.pop_back();
    }
  } else if (ref.starts_with("vault:") && !vault.address.empty()) {
    auto v = ReadVault(ref, vault, version);
    if (!v.ok()) return v.status();
    value = std::move(*v);
  } else {
    return Status::InvalidArgument(ref + ": unsupported secret reference");
  }
  if (value.empty() || value.size() > kMaxSecretBytes || HasHeaderInjection(value)) {
    Wipe(value);
    return Status::InvalidArgument(ref + ": value is empty, too large, or contains CR/LF/NUL");
  }
  return value;
}

struct SecretStore::Impl {
  struct Entry {
    SecretValue value;
    std::string error;
    FileStamp stamp;
    uint64_t version = 0;
    Clock::time_point next_vault_refresh;
  };
  std::vector<std::string> refs;
  VaultConfig vault;
  mutable std::mutex mu;
  std::map<std::string, Entry> entries;
  std::condition_variable cv;
  bool stop = false;
  std::thread thread;
  std::atomic<uint64_t> reloads{0}, failures{0};

  // Loads `ref` and publishes the result; keeps the old value on failure.
  void Load(const std::string& ref) {
    uint64_t version = 0;
    FileStamp stamp = ref.starts_with("file:") ? StatFile(ref.substr(5)) : FileStamp{};
    auto value = ReadSecretRef(ref, vault, &version);
    std::lock_guard lock(mu);
    Entry& e = entries[ref];
    e.stamp = stamp;
    e.next_vault_refresh = Clock::now() + std::chrono::seconds(vault.refresh_seconds);
    if (!value.ok()) {
      ++failures;
      e.error = value.status().message();
      return;
    }
    bool changed = !e.value || *e.value != *value || e.version != version;
    if (changed) {
      e.value = MakeSecretValue(std::move(*value));  // old one is wiped when released
      ++reloads;
    } else {
      Wipe(*value);
    }
    e.version = version;
    e.error.clear();
  }

  void Loop() {
    std::unique_lock lock(mu);
    while (!cv.wait_for(lock, std::chrono::seconds(1), [this] { return stop; })) {
      std::vector<std::string> due;
      for (const auto& [ref, e] : entries) {
        if (ref.starts_with("file:") && StatFile(ref.substr(5)) != e.stamp) due.push_back(ref);
        if (ref.starts_with("vault:") && Clock::now() >= e.next_vault_refresh) due.push_back(ref);
        if (!e.value && !ref.starts_with("env:")) due.push_back(ref);  // retry missing ones
      }
      lock.unlock();
      for (const auto& ref : due) Load(ref);
      lock.lock();
    }
  }
};

SecretStore::SecretStore(std::vector<std::string> refs, VaultConfig vault)
    : impl_(std::make_unique<Impl>()) {
  impl_->refs = std::move(refs);
  impl_->vault = std::move(vault);
}

SecretStore::~SecretStore() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stop = true;
  }
  impl_->cv.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void SecretStore::Start(const SecretStore* previous) {
  for (const auto& ref : impl_->refs) {
    impl_->Load(ref);
    if (previous == nullptr || Get(ref)) continue;
    SecretValue last = previous->Get(ref);
    if (!last) continue;
    std::lock_guard lock(impl_->mu);
    Impl::Entry& e = impl_->entries[ref];
    e.value = std::move(last);  // shared, not copied: still wiped when the last user goes
    // The stamp stays that of the failed read, so the refresh thread re-reads the file
    // as soon as it reappears (its stamp changes) and clears the stale mark.
  }
  impl_->thread = std::thread([this] { impl_->Loop(); });
}

SecretValue SecretStore::Get(const std::string& ref) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->entries.find(ref);
  return it == impl_->entries.end() ? nullptr : it->second.value;
}

std::string SecretStore::Error(const std::string& ref) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->entries.find(ref);
  if (it == impl_->entries.end()) return ref + ": not loaded";
  return it->second.value ? "" : it->second.error;
}

bool SecretStore::Stale(const std::string& ref) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->entries.find(ref);
  return it != impl_->entries.end() && it->second.value && !it->second.error.empty();
}

std::vector<std::string> SecretStore::StaleErrors() const {
  std::lock_guard lock(impl_->mu);
  std::vector<std::string> out;
  for (const auto& [ref, e] : impl_->entries) {
    if (e.value && !e.error.empty()) out.push_back(e.error);
  }
  return out;
}

uint64_t SecretStore::reloads() const { return impl_->reloads; }
uint64_t SecretStore::failures() const { return impl_->failures; }

}  // namespace leakproof::proxy
