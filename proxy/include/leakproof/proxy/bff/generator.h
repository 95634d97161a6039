// GenerateBff: credentials + provider facts -> the files of a Backend-for-Frontend.
//
// Pure: no I/O, no clock, no environment — the same inputs give byte-identical output,
// which is what the golden-file tests rely on. Writing to disk is writer.h's job.
//
//   auto creds = CredentialsFromReport(json);
//   auto tree = GenerateBff(*creds, rules, {.targets = {"express", "nextjs"}});
//   WriteTree(*tree, "out", /*force=*/false);
#pragma once

#include "leakproof/proxy/bff/credential.h"
#include "leakproof/scanner/rule.h"
#include "leakproof/scanner/status.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace leakproof::proxy::bff {

// Relative path ("express/routes/openai.js") -> file content. Sorted, so deterministic.
using GeneratedTree = std::map<std::string, std::string>;

struct BffOptions {
  // Any of KnownTargets(); MIGRATION.md and .env.example are always written.
  std::vector<std::string> targets;
  std::size_t max_body_bytes = 1 << 20;  // request bodies above this get 413
  int rate_limit_per_minute = 60;        // default of the rate-limit hook, per session
  int upstream_timeout_ms = 30000;       // connect + response head from the provider -> 504
};

// "nextjs", "express", "cloudflare", "lambda", "firebase", "nuxt", "sveltekit", "hono",
// "supabase", "proxy".
const std::vector<std::string>& KnownTargets();

// "nextjs,express" or "all" -> validated list (order of KnownTargets(), no duplicates).
scanner::Result<std::vector<std::string>> ParseTargets(const std::string& spec);

scanner::Result<GeneratedTree> GenerateBff(const std::vector<CredentialInput>& credentials,
                                           const scanner::RuleSet& rules,
                                           const BffOptions& options);

// Belt and braces for the CLI, which knows the secrets of a live scan: fails naming the
// file (never the secret) if any file contains any of `secrets`.
scanner::Status CheckNoSecrets(const GeneratedTree& tree, const std::vector<std::string>& secrets);

}  // namespace leakproof::proxy::bff
