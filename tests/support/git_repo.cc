#include "support/git_repo.h"

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <memory>

namespace leakproof::testing {
namespace {

// Identity, dates and config fixed so runs are reproducible and independent of the
// machine's ~/.gitconfig.
std::string GitPrefix(const std::string& dir, int tick) {
  const std::string date = "@" + std::to_string(1767225600 + tick * 60) + " +0000";
  return "cd '" + dir + "' && GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null " +
         "GIT_AUTHOR_DATE='" + date + "' GIT_COMMITTER_DATE='" + date +
         "' git -c user.name=Committer -c user.email=committer@example.com "
         "-c init.defaultBranch=main -c commit.gpgsign=false ";
}

std::string Run(const std::string& cmd, int& status) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) {
    status = -1;
    return out;
  }
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  status = ::pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace

GitRepo::GitRepo(bool bare) { Git(bare ? "init -q --bare" : "init -q"); }

void GitRepo::Git(const std::string& args) const { (void)GitOut(args); }

std::string GitRepo::GitOut(const std::string& args) const {
  const std::string cmd = GitPrefix(path(), commits_) + args + " 2>&1";
  int status = 0;
  std::string out = Run(cmd, status);
  INFO(cmd << "\n" << out);
  REQUIRE(status == 0);
  return out;
}

std::string GitRepo::Commit(const std::string& file, const std::string& content,
                            const std::string& message, const std::string& author) {
  dir_.Write(file, content);
  Git("add -- '" + file + "'");
  return CommitStaged(message, author);
}

std::string GitRepo::CommitStaged(const std::string& message, const std::string& author) {
  ++commits_;
  Git("commit -q --allow-empty --author='" + author + "' -m '" + message + "'");
  return GitOut("rev-parse HEAD");
}

}  // namespace leakproof::testing
