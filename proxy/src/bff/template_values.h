// Non-secret values that fill a provider's template host or header ("{app_id}" for Algolia,
// "{ref}" for Supabase), found next to a key without ever keeping the key itself.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace leakproof::proxy::bff {

// [A-Za-z0-9-]{1,63}: what a host label or an app ID may be; anything else is not used.
bool IdentifierShaped(std::string_view v);

// The `ref` claim of a Supabase JWT (anon or service_role key): the project ref, public in
// the project URL. "" for anything that is not such a JWT.
std::string SupabaseRefClaim(std::string_view jwt);

// The names in a template string: "https://{app_id}-dsn.algolia.net/1" -> {"app_id"}.
std::map<std::string, std::string> TemplateNames(std::string_view text);

// `host_pattern` ("{app_id}-dsn.algolia.net") against a real host: the values of its
// placeholders, or nullopt when the host does not fit the pattern.
std::optional<std::map<std::string, std::string>> MatchHostPattern(std::string_view host_pattern,
                                                                   std::string_view host);

// Replaces every "{name}" whose value is in `values`; unknown names stay.
std::string FillTemplate(std::string_view text, const std::map<std::string, std::string>& values);

}  // namespace leakproof::proxy::bff
