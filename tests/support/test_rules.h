// Small rule sets and temp directories for engine and CLI tests.
#pragma once

#include "leakproof/scanner/engine.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace leakproof::testing {

// A compact provider file exercising the engine independently of the built-in pack.
extern const char* const kTestRulesToml;

// A fresh fake key of the test rules' shape ("tc_live_" + 28 alphanumerics); `seed`
// advances, so successive calls give different keys.
std::string TestKey(std::uint32_t& seed);

// Engine over kTestRulesToml (no on-disk cache); REQUIREs success.
std::unique_ptr<scanner::Engine> TestEngine();
// Engine over the built-in pack; REQUIREs success.
std::unique_ptr<scanner::Engine> BuiltinEngine(const scanner::EngineOptions& options = {});

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to path()/relative (creating directories); returns the full path.
  std::filesystem::path Write(const std::string& relative, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

}  // namespace leakproof::testing
