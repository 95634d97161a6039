// What a provider's answer to a liveness request means (live, rejected, unknown), who
// the key belongs to when the answer says so cheaply, and the conditional keys settled
// by the answer (Algolia ACL, Google API key) or offline (Supabase JWT role). Never puts
// the key or its partner into identity or evidence. Pure; thread-safe.
#pragma once

#include "leakproof/proxy/http_fetch.h"
#include "leakproof/scanner/finding.h"

#include <optional>
#include <string>

namespace leakproof::proxy::verify {

// True for answers worth retrying with backoff: 429 and 5xx.
bool IsRetryable(int http_status);

// The verdict on one answer. `what` names the request for the evidence ("GET
// /v1/balance"): a template path, never the URL with the key in it.
scanner::Verification Judge(const scanner::ProviderFacts& facts, const std::string& what,
                            const FetchResult& answer, const std::string& secret,
                            const std::string& partner);

// Conditional keys settled without a request: a Supabase JWT's `role` claim (anon ->
// publishable, service_role -> secret). nullopt when `rule` is not one of them.
std::optional<scanner::Verification> SettleOffline(const scanner::Rule& rule,
                                                   const std::string& secret);

}  // namespace leakproof::proxy::verify
