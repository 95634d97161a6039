// The --verify step (leakproof/proxy/verify.h): group findings into distinct checks, pair
// each key with its partner, answer from the cache, send what is left through the
// per-provider gate on a small worker pool, and copy each answer to every finding of it.
#include "leakproof/proxy/http_fetch.h"
#include "leakproof/proxy/verify.h"

#include "verify/liveness_request.h"
#include "verify/provider_gate.h"
#include "verify/test_overrides.h"
#include "verify/verdict.h"
#include "verify/verify_cache.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace leakproof::proxy {
namespace {

using scanner::Finding;
using scanner::Verification;
using verify::KeyMaterial;

// One distinct check: a key (with its partner) of one provider, and every finding it answers.
struct Check {
  const scanner::Rule* rule = nullptr;
  scanner::ProviderFacts facts;
  KeyMaterial key;
  std::vector<std::size_t> findings;  // the key's own findings
  std::vector<std::size_t> partners;  // identifier halves answered by the same request
  std::string cache_key;
  Verification result;
  bool done = false;
};

bool IsIdentifierRule(const scanner::Rule& r) { return verify::IsIdentifierHalf(r); }

// The partner's finding for a pair: the one in the same place as the key if any, else the
// first one found. -1 when the scan found none.
long FindPartner(const std::vector<Finding>& findings, const Finding& f) {
  long best = -1;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (findings[i].rule->id != f.rule->pair) continue;
    if (findings[i].location.path == f.location.path) return static_cast<long>(i);
    if (best < 0) best = static_cast<long>(i);
  }
  return best;
}

// Placeholder values a base URL may take from what was found, each a single DNS label
// under the provider's own domain (checked by the builder): Algolia's app id (the pair),
// Mailchimp's data centre (the key's own "-us6" suffix).
void FillPlaceholders(const scanner::ProviderFacts& facts, KeyMaterial& key) {
  for (const std::string& name : verify::Placeholders(facts.base_url)) {
    if (name == "app_id" && !key.partner.empty()) key.placeholders[name] = key.partner;
    if (name == "dc") {
      std::size_t dash = key.secret.rfind('-');
      if (dash != std::string::npos) key.placeholders[name] = key.secret.substr(dash + 1);
    }
  }
}

Verification Unknown(const std::string& why) {
  Verification v;
  v.state = Verification::State::kUnknown;
  v.evidence = why;
  return v;
}

Verification Error(const std::string& why) {
  Verification v;
  v.state = Verification::State::kError;
  v.evidence = why;
  return v;
}

// Seconds from a Retry-After header (delta form only), or -1.
int RetryAfterSeconds(const FetchResult& r) {
  for (const auto& [k, v] : r.headers) {
    if (k.size() == 11 && (k == "Retry-After" || k == "retry-after") && !v.empty() &&
        std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        v.size() < 6) {
      return std::stoi(v);
    }
  }
  return -1;
}

// Never let the key reach a message: HttpSend errors name the host only, but be sure.
std::string Scrub(std::string text, const KeyMaterial& key) {
  for (const std::string& v : {key.secret, key.partner}) {
    if (v.empty()) continue;
    for (std::size_t p; (p = text.find(v)) != std::string::npos;) text.replace(p, v.size(), "…");
  }
  return text;
}

class Runner {
 public:
  Runner(const VerifyOptions& o, const verify::TestOverrides& overrides)
      : o_(o),
        overrides_(overrides),
        gate_(o.concurrency_per_provider, o.rate_per_provider),
        deadline_(std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(std::max(1, o.total_timeout_ms))) {}

  void Run(std::vector<Check*>& todo) {
    // Round-robin by provider so one provider's queue does not hold every worker.
    std::map<std::string, std::vector<Check*>> by_provider;
    for (Check* c : todo) by_provider[c->facts.id].push_back(c);
    std::vector<Check*> order;
    for (std::size_t i = 0;; ++i) {
      bool any = false;
      for (auto& [p, list] : by_provider) {
        if (i < list.size()) {
          order.push_back(list[i]);
          any = true;
        }
      }
      if (!any) break;
    }
    total_ = order.size();
    const std::size_t workers =
        std::min<std::size_t>(order.size(), std::max(1, o_.concurrency_per_provider) * 4);
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> threads;
    for (std::size_t w = 0; w < workers; ++w) {
      threads.emplace_back([&] {
        for (std::size_t i; (i = next.fetch_add(1)) < order.size();) {
          RunOne(*order[i]);
          std::size_t d = ++done_;
          if (o_.on_progress) {
            std::lock_guard<std::mutex> lock(progress_mu_);
            o_.on_progress(d, total_);
          }
        }
      });
    }
    for (std::thread& t : threads) t.join();
  }

  std::size_t requests() const { return requests_; }

 private:
  void RunOne(Check& c) {
    const std::string what =
        verify::LivenessFor(c.facts).method + " " + verify::LivenessFor(c.facts).path;
    std::string base;
    if (overrides_.active) {
      auto it = overrides_.base_urls.find(c.facts.base_url);
      if (it == overrides_.base_urls.end()) {
        c.result = Unknown("test overrides active and no fake for " + c.facts.base_url);
        return;
      }
      base = it->second;
    }
    int delay_ms = std::max(1, o_.backoff_ms);
    for (int attempt = 0;; ++attempt) {
      if (!gate_.Acquire(c.facts.id, deadline_)) {
        c.result = Error("global --verify timeout before the request was sent");
        return;
      }
      // Built per attempt: a SigV4 signature carries the time it was made.
      auto req = verify::BuildLivenessRequest(*c.rule, c.facts, c.key,
                                              std::chrono::system_clock::now(), base);
      if (!req.ok()) {
        gate_.Release(c.facts.id);
        c.result = Unknown(Scrub(req.status().message(), c.key));
        return;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline_ - std::chrono::steady_clock::now());
      const int timeout = static_cast<int>(
          std::max<long long>(1, std::min<long long>(o_.request_timeout_ms, left.count())));
      ++requests_;
      auto answer =
          HttpSend(req->method, req->url, req->headers, timeout, overrides_.ca_file, 256 * 1024);
      gate_.Release(c.facts.id);
      if (!answer.ok()) {
        c.result = Error(Scrub(answer.status().message(), c.key) + " (" + what + ")");
        return;
      }
      c.result = verify::Judge(c.facts, what, *answer, c.key.secret, c.key.partner);
      if (!verify::IsRetryable(answer->status) || attempt >= o_.max_retries) return;
      int wait = delay_ms;
      if (int ra = RetryAfterSeconds(*answer); ra >= 0) wait = std::min(ra, 30) * 1000;
      delay_ms *= 2;
      if (std::chrono::steady_clock::now() + std::chrono::milliseconds(wait) >= deadline_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    }
  }

  const VerifyOptions& o_;
  const verify::TestOverrides& overrides_;
  verify::ProviderGate gate_;
  const std::chrono::steady_clock::time_point deadline_;
  std::atomic<std::size_t> requests_{0};
  std::atomic<std::size_t> done_{0};
  std::size_t total_ = 0;
  std::mutex progress_mu_;
};

}  // namespace

scanner::Result<VerifySummary> VerifyFindings(std::vector<Finding>& findings,
                                              const scanner::RuleSet& rules,
                                              const VerifyOptions& o) {
  auto overrides = verify::LoadTestOverrides();
  if (!overrides.ok()) return overrides.status();
  if (overrides->active && o.on_notice) {
    o.on_notice(
        "TEST OVERRIDES ACTIVE (LEAKPROOF_VERIFY_TEST_OVERRIDES): provider base URLs "
        "are mapped to a local fake; never set this outside the test suite");
  }
  const std::set<std::string> allow(o.allow.begin(), o.allow.end());
  VerifySummary summary;
  std::vector<Check> checks;
  std::map<std::string, std::size_t> by_key;  // provider \n secret \n partner -> check
  std::vector<std::pair<std::size_t, std::size_t>> identifiers;  // finding -> partner finding

  for (std::size_t i = 0; i < findings.size(); ++i) {
    Finding& f = findings[i];
    const scanner::Rule& rule = *f.rule;
    if (rule.rule_class == scanner::RuleClass::kPublishable) continue;
    if (!allow.empty() && allow.count(rule.provider) == 0) continue;
    if (auto offline = verify::SettleOffline(rule, f.secret)) {
      f.verification = *offline;
      continue;
    }
    if (IsIdentifierRule(rule)) {
      // Answered by its secret half's request (below), if the scan found that half.
      long p = -1;
      for (std::size_t j = 0; j < findings.size() && p < 0; ++j) {
        if (findings[j].rule->pair == rule.id && !IsIdentifierRule(*findings[j].rule)) {
          p = static_cast<long>(j);
        }
      }
      if (p < 0) {
        f.verification = Unknown("an identifier; its secret half (" + rule.pair +
                                 ") was not found, so nothing was sent");
      } else {
        identifiers.emplace_back(i, static_cast<std::size_t>(p));
      }
      continue;
    }
    const scanner::ProviderFacts facts = rules.EffectiveFacts(rule);
    if (std::string why = verify::NotVerifiableReason(rule, facts); !why.empty()) {
      f.verification = Unknown("not checked: " + why);
      continue;
    }
    KeyMaterial key;
    key.secret = f.secret;
    if (!verify::PartnerRole(rule, facts).empty()) {
      if (long p = FindPartner(findings, f); p >= 0) key.partner = findings[p].secret;
    }
    FillPlaceholders(facts, key);
    const std::string id = facts.id + "\n" + key.secret + "\n" + key.partner;
    auto [it, fresh] = by_key.emplace(id, checks.size());
    if (fresh) {
      Check c;
      c.rule = &rule;
      c.facts = facts;
      c.key = std::move(key);
      checks.push_back(std::move(c));
    }
    checks[it->second].findings.push_back(i);
  }
  // Each identifier half joins the check of the secret half it was paired with.
  std::map<std::size_t, std::size_t> check_of_finding;
  for (std::size_t c = 0; c < checks.size(); ++c) {
    for (std::size_t i : checks[c].findings) check_of_finding[i] = c;
  }
  for (const auto& [id_finding, secret_finding] : identifiers) {
    auto it = check_of_finding.find(secret_finding);
    if (it == check_of_finding.end()) {
      findings[id_finding].verification =
          Unknown("an identifier; its secret half could not be checked");
    } else {
      checks[it->second].partners.push_back(id_finding);
    }
  }
  summary.distinct = checks.size();

  verify::VerifyCache cache(o.dry_run ? "-" : o.cache_dir,
                            std::chrono::seconds(o.cache_ttl_seconds));
  std::vector<Check*> todo;
  for (Check& c : checks) {
    if (o.dry_run) {
      std::string base;
      if (overrides->active) {
        auto it = overrides->base_urls.find(c.facts.base_url);
        if (it != overrides->base_urls.end()) base = it->second;
      }
      auto req = verify::BuildLivenessRequest(*c.rule, c.facts, c.key,
                                              std::chrono::system_clock::now(), base);
      if (o.on_dry_run) {
        o.on_dry_run(c.facts.id + ": " +
                     (req.ok() ? verify::DescribeRedacted(*req, c.key)
                               : "not sent: " + Scrub(req.status().message(), c.key)));
      }
      continue;
    }
    c.cache_key = cache.Key(c.facts.id, c.key.secret, c.key.partner);
    if (auto hit = cache.Find(c.cache_key)) {
      c.result = *hit;
      c.done = true;
      ++summary.from_cache;
    } else {
      todo.push_back(&c);
    }
  }
  if (o.dry_run) return summary;

  Runner runner(o, *overrides);
  runner.Run(todo);
  summary.requests = runner.requests();
  for (Check* c : todo) cache.Put(c->cache_key, c->result);
  if (!cache.Save() && o.on_notice) {
    o.on_notice("could not write the verify cache " + cache.path());
  }
  for (Check& c : checks) {
    if (c.result.state == Verification::State::kLive) ++summary.live;
    for (std::size_t i : c.findings) findings[i].verification = c.result;
    for (std::size_t i : c.partners) {
      Verification v = c.result;
      v.settled_class.reset();  // the identifier's own class stands
      v.evidence = "checked with its secret half: " + v.evidence;
      findings[i].verification = v;
    }
  }
  return summary;
}

}  // namespace leakproof::proxy
