// Turning URLs found next to a key into upstream path allowlists, without ever copying
// a path segment that could be (part of) the secret.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::proxy::bff {

struct ParsedUrl {
  std::string scheme;  // "https"
  std::string host;    // lower case, with ":port" if given
  std::string path;    // "/v1/chat/completions" ("/" if empty)
};

std::optional<ParsedUrl> ParseHttpUrl(std::string_view url);

// The allowed path prefix, relative to `base_url`, that `url` calls: "/v1/chat/completions"
// for https://api.openai.com/v1/chat/completions under https://api.openai.com. A base
// path segment "{key}" (auth = path) matches any segment. Stops before the first segment
// that looks like an id or a credential (long, mixed letters and digits, or unusual
// characters), ending the prefix with "/". nullopt if the URL is not under base_url.
std::optional<std::string> PathPrefixUnder(std::string_view base_url, std::string_view url);

// The exact path pattern, relative to `base_url`, that `url` calls: every id-like segment
// becomes "*" ("/v1/customers/*" for .../v1/customers/cus_9s8d...), a trailing "/" means an
// id follows ("/v1/customers/*"). nullopt if the URL is not under base_url.
std::optional<std::string> PathPatternUnder(std::string_view base_url, std::string_view url);

// Host equality where `base_host` may hold placeholders ("{ref}.supabase.co").
bool SameHost(std::string_view base_host, std::string_view host);

// True for a path segment that could be an id or a key rather than an API word.
bool LooksDynamic(std::string_view segment);

}  // namespace leakproof::proxy::bff
