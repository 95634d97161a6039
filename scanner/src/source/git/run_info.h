// What a git scan reports about the repository itself: the origin remote as a URI safe
// to publish (SARIF versionControlProvenance), and HEAD's branch.
#pragma once

#include "leakproof/scanner/scanner.h"

#include "source/git/git_handles.h"

#include <string>

namespace leakproof::scanner::git {

// A remote URL as an absolute URI without credentials: "https://user:token@host/x.git"
// -> "https://host/x.git"; scp-like "git@github.com:org/repo.git" ->
// "ssh://github.com/org/repo.git". "" for a local path or anything else unrecognised (a
// path on this machine means nothing to a report's reader).
std::string PublishableRemoteUri(const std::string& url);

// repository_uri (origin) and branch; the caller fills the rest.
GitRunInfo DescribeRepository(git_repository* repo);

}  // namespace leakproof::scanner::git
