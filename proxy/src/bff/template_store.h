// Rendering the embedded stub templates (embedded_templates.h) with kainjow mustache. `*.mustache`
// files are rendered; others are static files copied as they are (their code may legitimately
// contain "{{").
#pragma once

#include "leakproof/scanner/status.h"

#include "bff/embedded_templates.h"

#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>

namespace leakproof::proxy::bff {

// The text of a template or static file; NotFound if the path is not embedded.
scanner::Result<std::string> TemplateText(std::string_view path);

// Renders `path` with `data`. No HTML escaping: values that go into code are escaped for
// their language by the caller (JSON/TOML encoders) before they get here.
scanner::Result<std::string> RenderTemplate(std::string_view path,
                                            const kainjow::mustache::data& data);

}  // namespace leakproof::proxy::bff
