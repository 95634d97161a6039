// The settings `.leakproof.toml` and LEAKPROOF_* variables may give: each is a `scan`
// flag's long name ("fail-on" is --fail-on, env LEAKPROOF_FAIL_ON), so there is one
// vocabulary to learn and CLI11 validates every value exactly as it validates the flag.
//
// Left out on purpose: --no-redact (a file in a scanned repository must never turn off
// redaction in a CI log) and per-run flags (--write-baseline, --baseline-reason).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leakproof::cli {

enum class ConfigKind {
  kString,  // TOML string
  kBool,    // TOML boolean (env: true/false/1/0/yes/no/on/off)
  kNumber,  // TOML integer, or a string with a unit for sizes ("10MB")
  kList,    // TOML array of strings, or one string (env: comma-separated)
};

struct ConfigKey {
  std::string_view name;  // the long flag without "--"
  ConfigKind kind;
  bool path = false;  // relative values in a file are relative to the file's directory
  bool env = true;    // has a LEAKPROOF_* variable
};

// Every settable key, in the order `config show` prints them.
const std::vector<ConfigKey>& ConfigKeys();

// nullptr when `name` is not a settable key.
const ConfigKey* FindConfigKey(std::string_view name);

// "fail-on" -> "LEAKPROOF_FAIL_ON".
std::string EnvName(std::string_view key);

// Why a known flag cannot be set from a file or the environment ("" when it can, or
// when `name` is no flag at all).
std::string NotSettableReason(std::string_view name);

}  // namespace leakproof::cli
