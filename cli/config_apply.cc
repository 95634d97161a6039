// Layering env and file settings under the typed flags (config_apply.h).
#include "config_apply.h"

#include "config_keys.h"
#include "exit_codes.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace leakproof::cli {
namespace {

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// The flag's built-in default as text (taken before anything is stored in it).
std::vector<std::string> DefaultText(CLI::Option& opt, const ConfigKey& key) {
  if (key.kind == ConfigKind::kBool) return {"false"};  // every settable flag defaults off
  if (key.kind == ConfigKind::kList) return {};
  opt.capture_default_str();
  return {opt.get_default_str()};
}

// Runs `values` through the flag's validators and into its variable, as if typed.
scanner::Status Feed(CLI::Option& opt, const std::vector<std::string>& values,
                     const std::string& where) {
  if (values.empty()) return scanner::Status::Ok();  // an empty list: the flag's default
  try {
    opt.add_result(values);
    opt.run_callback();
  } catch (const CLI::Error& e) {
    return scanner::Status::InvalidArgument(where + ": " + e.what());
  }
  return scanner::Status::Ok();
}

// A gitleaks user's ignore file holds gitleaks fingerprints, which mean nothing to us:
// say so once rather than let them believe it is honoured.
std::string GitleaksIgnoreNote(const std::filesystem::path& root) {
  std::error_code ec;
  for (std::filesystem::path p = root; !p.empty(); p = p.parent_path()) {
    if (std::filesystem::exists(p / ".gitleaksignore", ec)) {
      return (p / ".gitleaksignore").string() +
             " is not read (gitleaks fingerprints); accept findings with --write-baseline "
             "instead (docs/from-gitleaks.md)";
    }
    if (std::filesystem::exists(p / ".git", ec) || p == p.root_path()) break;
  }
  return "";
}

}  // namespace

void AddConfigFlags(CLI::App* cmd, ConfigFlags& flags) {
  cmd->add_option("--config-file", flags.file,
                  "Read settings from FILE instead of the discovered .leakproof.toml");
  cmd->add_flag("--no-config", flags.none, "Ignore .leakproof.toml (LEAKPROOF_* still apply)");
}

scanner::Result<AppliedConfig> ApplyConfig(CLI::App& cmd, const ConfigFlags& flags,
                                           const std::filesystem::path& root) {
  AppliedConfig out;
  auto location = LocateConfigFile(flags, root);
  if (!location.ok()) return location.status();
  out.location = *location;
  ConfigFile file;
  if (!out.location.file.empty()) {
    auto read = ReadConfigFile(out.location.file);
    if (!read.ok()) return read.status();
    file = std::move(read).value();
    out.warnings = file.warnings;
  }
  for (const ConfigKey& key : ConfigKeys()) {
    CLI::Option* opt = cmd.get_option_no_throw("--" + std::string(key.name));
    if (opt == nullptr) continue;  // a command without this flag ignores the key
    SettingOrigin origin{std::string(key.name), {}, "default"};
    const char* env = key.env ? std::getenv(EnvName(key.name).c_str()) : nullptr;
    const auto in_file = file.settings.find(origin.key);
    if (opt->count() > 0) {
      origin.source = "flag";
      origin.values = opt->results();
    } else if (env != nullptr && *env != '\0') {
      origin.source = "env:" + EnvName(key.name);
      origin.values =
          key.kind == ConfigKind::kList ? SplitList(env) : std::vector<std::string>{env};
      if (auto st = Feed(*opt, origin.values, EnvName(key.name)); !st.ok()) return st;
    } else if (in_file != file.settings.end()) {
      origin.source = "file:" + file.path.string();
      origin.values = in_file->second.values;
      const std::string where = file.path.string() + ":" + std::to_string(in_file->second.line) +
                                ": key '" + origin.key + "'";
      if (auto st = Feed(*opt, origin.values, where); !st.ok()) return st;
    } else {
      origin.values = DefaultText(*opt, key);
    }
    out.settings.push_back(std::move(origin));
  }
  // Once a baseline is in use the ignore file is presumably kept for gitleaks alone.
  const bool has_baseline = std::any_of(out.settings.begin(), out.settings.end(), [](auto& s) {
    return s.key == "baseline" && s.source != "default";
  });
  if (std::string note = GitleaksIgnoreNote(root); !note.empty() && !has_baseline) {
    out.warnings.push_back(note);
  }
  return out;
}

int ApplyConfigOrReport(CLI::App& cmd, const ConfigFlags& flags,
                        const std::filesystem::path& root) {
  auto applied = ApplyConfig(cmd, flags, root);
  const std::string prefix = "leakproof " + cmd.get_name() + ": ";
  if (!applied.ok()) {
    std::fprintf(stderr, "%serror: %s\n", prefix.c_str(), applied.status().message().c_str());
    return kExitError;
  }
  for (const std::string& w : applied->warnings) {
    std::fprintf(stderr, "%swarning: %s\n", prefix.c_str(), w.c_str());
  }
  return kExitClean;
}

}  // namespace leakproof::cli
