// Temporary git repositories for `leakproof git` tests, built with the git CLI (fine in
// tests; the scanner itself reads them with libgit2 only).
#pragma once

#include "support/test_rules.h"

#include <string>

namespace leakproof::testing {

class GitRepo {
 public:
  // `git init` in a fresh temp dir (a bare repository when `bare`).
  explicit GitRepo(bool bare = false);
  const TempDir& dir() const { return dir_; }
  std::string path() const { return dir_.path().string(); }

  // Runs `git ARGS` inside the repository (fixed identity and dates); REQUIREs success.
  void Git(const std::string& args) const;
  // Like Git() but returns stdout, trailing newline removed.
  std::string GitOut(const std::string& args) const;
  // Writes the file, `git add`s it and commits as `author` ("Name <mail>"); returns the
  // new commit's id.
  std::string Commit(const std::string& file, const std::string& content,
                     const std::string& message, const std::string& author = kAuthor);
  // Commits whatever is staged (or nothing: --allow-empty).
  std::string CommitStaged(const std::string& message, const std::string& author = kAuthor);

  static constexpr const char* kAuthor = "Ada Lovelace <ada@example.com>";

 private:
  TempDir dir_;
  int commits_ = 0;
};

}  // namespace leakproof::testing
