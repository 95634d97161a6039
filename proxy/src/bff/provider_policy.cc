// Provider request-header allowlists and refused operations (provider_policy.h).
#include "bff/provider_policy.h"

#include <map>

namespace leakproof::proxy::bff {

std::vector<std::string> ProviderRequestHeaders(const std::string& provider_id) {
  // What each API documents as client-chosen and harmless. Not forwarded anywhere:
  // Stripe-Account (picks a connected account), OpenAI-Organization / OpenAI-Project
  // (picks the billing scope), client IP and user-agent headers, sec-*.
  static const std::map<std::string, std::vector<std::string>> kExtra = {
      {"stripe", {"idempotency-key", "stripe-version"}},
      {"openai", {"openai-beta"}},
      {"anthropic", {"anthropic-beta"}},
  };
  std::vector<std::string> out = {"accept", "content-type"};
  if (auto it = kExtra.find(provider_id); it != kExtra.end()) {
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
  return out;
}

std::string RefusedOperation(const std::string& provider_id, const std::string& method,
                             const std::string& path) {
  if (provider_id == "stripe" && method == "GET") {
    // /v1/customers, /v1/charges...: a collection, not one object the user owns.
    bool one_object = path.size() >= 2 && path.compare(path.size() - 2, 2, "/*") == 0;
    if (!one_object && path != "/v1/balance") {
      return "a Stripe list endpoint returns every customer's objects; serve the user's own "
             "objects from your server instead";
    }
  }
  if (provider_id == "twilio" && method == "GET") {
    return "listing Twilio resources (Messages.json lists every SMS) is not for end users";
  }
  if ((provider_id == "openai" || provider_id == "anthropic") && method == "GET" &&
      path.find("/completions") != std::string::npos) {
    return "GET on completions lists stored completions of every user";
  }
  return "";
}

std::string GuardKind(const std::string& provider_id, const std::string& base_url) {
  if (provider_id == "openai" || provider_id == "anthropic" || provider_id == "sendgrid" ||
      provider_id == "twilio") {
    return provider_id;
  }
  if (base_url.find("generativelanguage.googleapis.com") != std::string::npos) return "gemini";
  return "";
}

}  // namespace leakproof::proxy::bff
