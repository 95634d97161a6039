// Template lookup and mustache rendering (template_store.h).
#include "bff/template_store.h"

namespace leakproof::proxy::bff {

scanner::Result<std::string> TemplateText(std::string_view path) {
  for (const EmbeddedTemplate& t : EmbeddedTemplates()) {
    if (t.path == path) return std::string(t.text);
  }
  return scanner::Status::NotFound("no embedded template " + std::string(path));
}

scanner::Result<std::string> RenderTemplate(std::string_view path,
                                            const kainjow::mustache::data& data) {
  auto text = TemplateText(path);
  if (!text.ok()) return text.status();
  if (!path.ends_with(".mustache")) return text;
  kainjow::mustache::mustache tmpl(*text);
  if (!tmpl.is_valid()) {
    return scanner::Status::Corrupt("template " + std::string(path) + ": " + tmpl.error_message());
  }
  tmpl.set_custom_escape([](const std::string& s) { return s; });
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) {
    return scanner::Status::Corrupt("template " + std::string(path) + ": " + tmpl.error_message());
  }
  // False sections leave their lines behind as blanks: keep at most one blank line.
  std::string tidy;
  tidy.reserve(out.size());
  for (char c : out) {
    if (c == '\n' && tidy.size() >= 2 && tidy[tidy.size() - 1] == '\n' &&
        tidy[tidy.size() - 2] == '\n')
      continue;
    tidy += c;
  }
  return tidy;
}

}  // namespace leakproof::proxy::bff
