// The stub templates (proxy/templates/**) embedded in the binary at build time by
// embed_templates.cmake, so an installed `leakproof` needs no source tree.
#pragma once

#include <span>
#include <string_view>

namespace leakproof::proxy::bff {

struct EmbeddedTemplate {
  std::string_view path;  // relative to proxy/templates: "express/route.js.mustache"
  std::string_view text;
};

// Defined in the generated embedded_templates.cc. Sorted by path.
std::span<const EmbeddedTemplate> EmbeddedTemplates();

}  // namespace leakproof::proxy::bff
