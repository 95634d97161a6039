// `.leakproof.toml`: where it is found and what it says.
//
// Discovery (unless --no-config): --config-file PATH, else $LEAKPROOF_CONFIG_FILE, else
// `.leakproof.toml` in the scanned root (a file's directory), else in the root of the git
// work tree that encloses it. Directories in between are not consulted, so a config is
// either the scanned root's or the repository's.
#pragma once

#include "leakproof/scanner/status.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace leakproof::cli {

inline constexpr char kConfigFileName[] = ".leakproof.toml";

// --config-file / --no-config.
struct ConfigFlags {
  std::string file;
  bool none = false;
};

struct ConfigLocation {
  std::filesystem::path file;  // empty: no config file applies
  std::string why;             // "--config-file", "LEAKPROOF_CONFIG_FILE", "scanned root", ...
};

// The directory discovery starts from: the first path ("-" or none: the working
// directory; a file: its directory). Later paths do not change it.
std::filesystem::path ConfigRootFor(const std::vector<std::string>& paths);

// Which file applies (see above). An explicit file that does not exist is an error.
scanner::Result<ConfigLocation> LocateConfigFile(const ConfigFlags& flags,
                                                 const std::filesystem::path& root);

// One setting as the file gave it: a scalar is one value, a list any number. Numbers and
// booleans are turned into the text a flag would take ("10", "true").
struct FileSetting {
  std::vector<std::string> values;
  int line = 0;
};

struct ConfigFile {
  std::filesystem::path path;
  std::map<std::string, FileSetting> settings;  // known keys only
  std::vector<std::string> warnings;            // unknown keys, keys that cannot be set
};

// Parses `path`. Syntax errors and values of the wrong TOML type are errors naming the
// file, line and key; relative paths in path-valued keys are made relative to the file.
scanner::Result<ConfigFile> ReadConfigFile(const std::filesystem::path& path);

}  // namespace leakproof::cli
