// `leakproof config show [SCAN FLAGS] [PATHS]`: the settings `leakproof scan` would run
// with, each with where it came from (flag, env:VAR, file:PATH or default), printed as
// TOML lines.
#include "command.h"
#include "config_apply.h"
#include "config_keys.h"
#include "exit_codes.h"
#include "scan_command.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sstream>

namespace leakproof::cli {
namespace {

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

bool IsInteger(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

std::string TomlValue(const ConfigKey& key, const std::vector<std::string>& values) {
  if (key.kind == ConfigKind::kList) {
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + Quote(values[i]);
    return out + "]";
  }
  const std::string v = values.empty() ? "" : values.back();
  if (key.kind == ConfigKind::kBool) {
    // A typed flag's result is CLI11's text for "on"; show what it means.
    return v == "false" || v == "0" || v == "no" || v == "off" ? "false" : "true";
  }
  if (key.kind == ConfigKind::kNumber && IsInteger(v)) return v;
  return Quote(v);
}

int Show(std::vector<std::string> args) {
  // The scan command itself parses the arguments, so every flag and check is the same.
  CLI::App inner{"", "leakproof"};
  ScanCommandOptions parsed;  // what the flags write into; lives through the parse
  CLI::App* scan = AddScanSubcommand(inner, parsed);
  int exit_code = kExitClean;
  scan->callback([&] {
    ConfigFlags flags;
    if (CLI::Option* f = scan->get_option("--config-file"); f->count() > 0) {
      flags.file = f->as<std::string>();
    }
    flags.none = scan->get_option("--no-config")->count() > 0;
    std::vector<std::string> paths;
    if (CLI::Option* p = scan->get_option("paths"); p->count() > 0) paths = p->results();
    const std::filesystem::path root = ConfigRootFor(paths);
    auto applied = ApplyConfig(*scan, flags, root);
    if (!applied.ok()) {
      std::fprintf(stderr, "leakproof config show: error: %s\n",
                   applied.status().message().c_str());
      exit_code = kExitError;
      return;
    }
    for (const std::string& w : applied->warnings) {
      std::fprintf(stderr, "leakproof config show: warning: %s\n", w.c_str());
    }
    std::ostringstream out;
    out << "# settings for `leakproof scan` in " << root.string() << "\n";
    if (applied->location.file.empty()) {
      out << "# config file: none"
          << (flags.none ? " (--no-config)"
                         : " (looked for " + std::string(kConfigFileName) +
                               " here and in the enclosing git root)")
          << "\n";
    } else {
      out << "# config file: " << applied->location.file.string() << " (" << applied->location.why
          << ")\n";
    }
    if (paths.size() > 1) out << "# several paths: the first one chooses the config file\n";
    std::size_t width = 0;
    std::vector<std::string> lines;
    for (const SettingOrigin& s : applied->settings) {
      lines.push_back(s.key + " = " + TomlValue(*FindConfigKey(s.key), s.values));
      width = std::max(width, lines.back().size());
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
      out << lines[i] << std::string(width - lines[i].size() + 2, ' ') << "# "
          << applied->settings[i].source << "\n";
    }
    std::cout << out.str();
  });
  args.insert(args.begin(), "scan");
  std::reverse(args.begin(), args.end());  // CLI11 consumes from the back
  try {
    inner.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {  // --help
      std::cout << scan->help("leakproof config show");
      return kExitClean;
    }
    std::fprintf(stderr, "leakproof config show: %s (see --help)\n", e.what());
    return kExitError;
  }
  return exit_code;
}

}  // namespace

void SetupConfigCommand(CLI::App& app, int& exit_code) {
  CLI::App* config = app.add_subcommand(
      "config", "Settings from .leakproof.toml and LEAKPROOF_* (see docs/configuration.md)");
  config->require_subcommand(1);
  CLI::App* show = config->add_subcommand(
      "show",
      "Print the settings `scan` would use and where each comes from (flag, env, file, "
      "default); takes scan's flags and paths");
  // Everything after `show` goes to the scan command's parser.
  show->prefix_command();
  show->footer(
      "Takes every `leakproof scan` flag and path, e.g.: leakproof config show --format json "
      "dist/\nKeys, discovery and precedence: docs/configuration.md");
  show->callback([show, &exit_code] { exit_code = Show(show->remaining()); });
}

}  // namespace leakproof::cli
