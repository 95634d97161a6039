#include "source/git/run_info.h"

namespace leakproof::scanner::git {

std::string PublishableRemoteUri(const std::string& url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end != std::string::npos) {
    const std::string scheme = url.substr(0, scheme_end);
    if (scheme != "https" && scheme != "http" && scheme != "ssh" && scheme != "git") return "";
    const std::size_t host_start = scheme_end + 3;
    const std::size_t path_start = url.find('/', host_start);
    const std::string authority = url.substr(host_start, path_start - host_start);
    const std::size_t at = authority.rfind('@');  // user[:password]@ is never published
    const std::string host = at == std::string::npos ? authority : authority.substr(at + 1);
    if (host.empty()) return "";
    return scheme + "://" + host + (path_start == std::string::npos ? "" : url.substr(path_start));
  }
  // scp-like syntax: [user@]host:path, where host has no '/' before the ':'.
  const std::size_t colon = url.find(':');
  if (colon == std::string::npos || colon == 0 || url.find('/') < colon) return "";
  const std::string authority = url.substr(0, colon);
  const std::size_t at = authority.rfind('@');
  const std::string host = at == std::string::npos ? authority : authority.substr(at + 1);
  std::string path = url.substr(colon + 1);
  if (host.empty() || path.empty()) return "";
  if (path[0] != '/') path.insert(0, "/");
  return "ssh://" + host + path;
}

GitRunInfo DescribeRepository(git_repository* repo) {
  GitRunInfo info;
  // remote.origin.url read from a config snapshot, not git_remote_lookup(): libgit2 1.5's
  // lookup leaks a PCRE2 match block per call (fixed upstream in libgit2 PR #6382), which
  // the ASan suite's leak check reports.
  git_config* raw_config = nullptr;
  if (git_repository_config_snapshot(&raw_config, repo) == 0) {
    ConfigPtr config(raw_config);
    const char* url = nullptr;
    if (git_config_get_string(&url, config.get(), "remote.origin.url") == 0 && url != nullptr) {
      info.repository_uri = PublishableRemoteUri(url);
    }
  }
  git_reference* raw_head = nullptr;
  if (git_repository_head(&raw_head, repo) == 0) {
    ReferencePtr head(raw_head);
    if (git_reference_is_branch(head.get()) == 1) {
      info.branch = git_reference_shorthand(head.get());
    }
  }
  git_error_clear();  // no origin or a detached HEAD is normal, not an error to carry
  return info;
}

}  // namespace leakproof::scanner::git
