// `.leakproof.toml` discovery and parsing (config_file.h).
#include "config_file.h"

#include "config_keys.h"

#include <toml++/toml.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

namespace leakproof::cli {
namespace fs = std::filesystem;
namespace {

bool IsFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// The nearest directory at or above `dir` holding `.git` (a directory in a normal clone,
// a file in a worktree or submodule); empty when there is none.
fs::path EnclosingGitRoot(const fs::path& dir) {
  std::error_code ec;
  for (fs::path p = dir; !p.empty(); p = p.parent_path()) {
    if (fs::exists(p / ".git", ec)) return p;
    if (p == p.root_path()) break;
  }
  return {};
}

std::string Where(const fs::path& file, int line, std::string_view key) {
  return file.string() + ":" + std::to_string(line) + ": key '" + std::string(key) + "'";
}

// A scalar TOML value as flag text; nullopt for arrays, tables, floats, dates.
std::optional<std::string> ScalarText(const toml::node& n, ConfigKind kind) {
  if (kind == ConfigKind::kBool) {
    if (auto b = n.value_exact<bool>()) return *b ? "true" : "false";
    return std::nullopt;
  }
  if (auto s = n.value_exact<std::string>()) return *s;
  if (kind == ConfigKind::kNumber) {
    if (auto i = n.value_exact<std::int64_t>()) return std::to_string(*i);
  }
  return std::nullopt;
}

const char* Expected(ConfigKind kind) {
  switch (kind) {
    case ConfigKind::kString:
      return "a string";
    case ConfigKind::kBool:
      return "true or false";
    case ConfigKind::kNumber:
      return "an integer (or a size string such as \"10MB\")";
    case ConfigKind::kList:
      return "a string or an array of strings";
  }
  return "";
}

}  // namespace

fs::path ConfigRootFor(const std::vector<std::string>& paths) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (paths.empty() || paths.front() == "-") return cwd;
  fs::path p = fs::absolute(paths.front(), ec).lexically_normal();
  if (!p.has_filename() && p.has_parent_path() && p != p.root_path()) p = p.parent_path();
  if (!fs::is_directory(p, ec)) p = p.parent_path();
  return p;
}

scanner::Result<ConfigLocation> LocateConfigFile(const ConfigFlags& flags, const fs::path& root) {
  if (flags.none) return ConfigLocation{};
  if (!flags.file.empty()) {
    if (!IsFile(flags.file)) {
      return scanner::Status::IOError("--config-file: cannot read '" + flags.file + "'");
    }
    return ConfigLocation{fs::absolute(flags.file), "--config-file"};
  }
  if (const char* env = std::getenv("LEAKPROOF_CONFIG_FILE"); env != nullptr && *env != '\0') {
    if (!IsFile(env)) {
      return scanner::Status::IOError("LEAKPROOF_CONFIG_FILE: cannot read '" + std::string(env) +
                                      "'");
    }
    return ConfigLocation{fs::absolute(env), "LEAKPROOF_CONFIG_FILE"};
  }
  if (IsFile(root / kConfigFileName)) return ConfigLocation{root / kConfigFileName, "scanned root"};
  const fs::path git = EnclosingGitRoot(root);
  if (!git.empty() && git != root && IsFile(git / kConfigFileName)) {
    return ConfigLocation{git / kConfigFileName, "git root"};
  }
  return ConfigLocation{};
}

scanner::Result<ConfigFile> ReadConfigFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return scanner::Status::IOError("cannot read config file '" + path.string() + "'");
  std::stringstream text;
  text << in.rdbuf();
  toml::table doc;
  try {
    doc = toml::parse(text.str(), path.string());
  } catch (const toml::parse_error& e) {
    return scanner::Status::InvalidArgument(path.string() + ":" +
                                            std::to_string(e.source().begin.line) +
                                            ": TOML syntax error: " + std::string(e.description()));
  }
  ConfigFile out;
  out.path = path;
  const fs::path dir = path.parent_path();
  for (const auto& [toml_key, node] : doc) {
    const std::string_view name = toml_key.str();
    const int line = static_cast<int>(node.source().begin.line);
    const ConfigKey* key = FindConfigKey(name);
    if (key == nullptr) {
      const std::string reason = NotSettableReason(name);
      out.warnings.push_back(path.string() + ":" + std::to_string(line) + ": key '" +
                             std::string(name) + "' " +
                             (reason.empty() ? "is not a setting (ignored)"
                                             : "cannot be set in a file (ignored): " + reason));
      continue;
    }
    FileSetting setting;
    setting.line = line;
    if (const toml::array* a = node.as_array(); a != nullptr && key->kind == ConfigKind::kList) {
      for (const toml::node& item : *a) {
        auto s = item.value_exact<std::string>();
        if (!s) {
          return scanner::Status::InvalidArgument(Where(path, line, name) + ": expected " +
                                                  Expected(key->kind));
        }
        setting.values.push_back(*s);
      }
    } else if (auto s = ScalarText(node, key->kind)) {
      setting.values.push_back(*s);
    } else {
      return scanner::Status::InvalidArgument(Where(path, line, name) + ": expected " +
                                              Expected(key->kind));
    }
    if (key->path) {
      for (std::string& v : setting.values) {
        // "-" means stdout (output) or no cache (cache-dir), not a file named "-".
        if (!v.empty() && v != "-" && fs::path(v).is_relative()) v = (dir / v).string();
      }
    }
    out.settings[std::string(name)] = std::move(setting);
  }
  return out;
}

}  // namespace leakproof::cli
