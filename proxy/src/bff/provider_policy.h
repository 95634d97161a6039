// What a reviewer insists on per provider, beyond the rule pack's auth facts: which client
// headers the API needs (everything else is dropped) and which operations are never opened
// by a generated route even when the app calls them.
#pragma once

#include <string>
#include <vector>

namespace leakproof::proxy::bff {

// Lower-case request headers forwarded from the client for this provider. Always
// content-type and accept; plus e.g. Stripe's idempotency-key. Never headers that let the
// client choose an account or identity (Stripe-Account, OpenAI-Organization, X-Real-IP).
std::vector<std::string> ProviderRequestHeaders(const std::string& provider_id);

// Why `method path` must not be opened for this provider, or "" when it may be.
// Stripe list endpoints (GET on a collection) would hand every customer to any user.
std::string RefusedOperation(const std::string& provider_id, const std::string& method,
                             const std::string& path);

// The guard (templates/common/guards.ts) a route of this provider gets: "openai",
// "anthropic", "gemini", "sendgrid", "twilio", or "" for none.
std::string GuardKind(const std::string& provider_id, const std::string& base_url);

}  // namespace leakproof::proxy::bff
