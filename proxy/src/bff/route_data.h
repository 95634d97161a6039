// Mustache data for one planned credential: everything its route templates and its
// MIGRATION.md / .env.example entries need, with every value pre-encoded for the
// language it lands in (route config as a JSON literal, TOML strings for bff.toml).
#pragma once

#include "leakproof/proxy/bff/generator.h"

#include "bff/route_plan.h"

#include <kainjow/mustache.hpp>
#include <string>
#include <vector>

namespace leakproof::proxy::bff {

// "stripe-2" -> "stripe2", "google-maps" -> "googleMaps": an identifier for exports.
std::string FunctionName(const std::string& route_name);

// Generated files of this route for `targets`, relative to the output root.
std::vector<std::string> RouteFiles(const PlannedCredential& p,
                                    const std::vector<std::string>& targets);

kainjow::mustache::data CredentialData(const PlannedCredential& p, int index,
                                       const BffOptions& options);

}  // namespace leakproof::proxy::bff
