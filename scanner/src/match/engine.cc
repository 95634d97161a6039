// Engine: stage 1 (one Hyperscan scan of all rules) and stage 2 (RE2 confirmation on a
// window ending at each hit), see leakproof/scanner/engine.h for the contract.
#include "leakproof/scanner/engine.h"

#include "match/hs_database.h"
#include "match/relaxed_repeats.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <mutex>

namespace leakproof::scanner {
namespace {

// Window cap for rules whose width Hyperscan reports as unbounded (PEM blocks are the
// longest real secrets: a 4096-bit RSA key is ~3.3 KB).
constexpr std::uint64_t kUnboundedSpan = 16 * 1024;
// Hits of one rule closer than this are confirmed together in one RE2 search.
constexpr std::uint64_t kCoalesceGap = 64;
// A single confirmation region never grows beyond this (pathological inputs).
constexpr std::uint64_t kMaxRegion = 1 << 20;

struct Hit {
  std::uint32_t rule;
  std::uint64_t first_end;
  std::uint64_t last_end;
};

class ScratchImpl final : public MatchScratch {
 public:
  HsScratchPtr hs;
  std::vector<Hit> hits;
  std::vector<std::int64_t> last_hit;  // per rule: index into hits, or -1
  std::uint64_t base = 0;              // offset of the current chunk in the blob
  const std::vector<std::uint64_t>* spans = nullptr;
};

int OnHsMatch(unsigned int id, unsigned long long /*from*/, unsigned long long to,
              unsigned int /*flags*/, void* ctx) {
  // Records only; coalesces consecutive hits of one rule (unbounded repeats report every
  // end offset) so memory stays proportional to distinct regions, not to bytes.
  auto* s = static_cast<ScratchImpl*>(ctx);
  const std::uint64_t end = s->base + to;
  std::int64_t& li = s->last_hit[id];
  if (li >= 0) {
    Hit& h = s->hits[static_cast<std::size_t>(li)];
    if (end >= h.last_end && end - h.last_end <= kCoalesceGap && end - h.first_end < kMaxRegion) {
      h.last_end = end;
      return 0;
    }
    if (end <= h.last_end && end >= h.first_end) return 0;  // chunk overlap re-report
  }
  li = static_cast<std::int64_t>(s->hits.size());
  s->hits.push_back({id, end, end});
  return 0;
}

// Capturing groups in a pattern: '(' not escaped, not in a class, not "(?". RE2 agrees
// on every rule (checked when the rule is compiled); counting lets built-in rules
// defer their RE2 compile until a candidate needs it.
int CountCaptureGroups(std::string_view re) {
  int groups = 0;
  bool in_class = false;
  for (std::size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
      if (i + 1 < re.size() && re[i + 1] == ']') ++i;  // "[]...]": ']' first is literal
      if (i + 2 < re.size() && re[i + 1] == '^' && re[i + 2] == ']') i += 2;
      continue;
    }
    if (c == '(') {
      if (i + 1 < re.size() && re[i + 1] == '?') {
        // (?P<name>...) and (?<name>...) capture; (?:...), (?i) and (?i:...) do not.
        if (i + 2 < re.size() && (re[i + 2] == 'P' || re[i + 2] == '<')) ++groups;
        continue;
      }
      ++groups;
    }
  }
  return groups;
}

// Stage 1 may over-report, so a rule's trailing boundary check can stay with RE2:
// "(?:[^\w+/=]|$)" after a key was measured to cost ~17% of the whole database's
// throughput (Hyperscan must track it for every candidate end), and the rule pack ends
// 451 rules with it. Returns the Hyperscan pattern and how many bytes past a stage-1
// end the confirmation window must reach (the stripped boundary is one byte).
std::string StageOnePattern(const std::string& regex, std::uint64_t& trailing_slack) {
  static constexpr std::string_view kBoundaries[] = {R"((?:[^\w+/=]|$))", R"((?:[^\w+/=-]|$))"};
  trailing_slack = 0;
  for (std::string_view b : kBoundaries) {
    if (regex.size() > b.size() && regex.compare(regex.size() - b.size(), b.size(), b) == 0) {
      trailing_slack = 1;
      return regex.substr(0, regex.size() - b.size());
    }
  }
  return regex;
}

RE2::Options Re2Options() {
  RE2::Options ro;
  ro.set_encoding(RE2::Options::EncodingLatin1);  // bytes, like Hyperscan without UTF8
  ro.set_log_errors(false);
  ro.set_max_mem(64 << 20);
  return ro;
}

std::string DefaultCacheDir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x != nullptr && *x != '\0') {
    return std::string(x) + "/leakproof";
  }
  if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0') {
    return std::string(h) + "/.cache/leakproof";
  }
  return "";
}

}  // namespace

struct Engine::Impl {
  RuleSet rules;
  // Compiled on first use (built-in rules; compiling all ~500 up front was ~0.5 s of
  // start-up) or at Create() (user rules, so a bad regex is reported at once).
  mutable std::vector<std::unique_ptr<RE2>> re2;
  mutable std::unique_ptr<std::once_flag[]> re2_once;
  // The relaxed form of each rule (empty pattern: nothing to relax), its RE2 compiled on
  // first use; null when it does not compile to the expected groups.
  std::vector<RelaxedRepeats> relaxed;
  mutable std::vector<std::unique_ptr<RE2>> relaxed_re2;
  mutable std::unique_ptr<std::once_flag[]> relaxed_once;
  std::vector<int> secret_group;
  std::vector<std::uint64_t> trailing_slack;  // bytes RE2 needs past a stage-1 end
  std::vector<std::uint64_t> span;            // confirmation window per rule
  std::vector<std::size_t> re2_only;          // rules Hyperscan cannot take: RE2 on whole blobs
  std::vector<RuleCompileProblem> problems;
  HsDatabasePtr db;
  HsScratchPtr prototype_scratch;
  std::uint64_t max_span = 0;

  const RE2& Re2(std::size_t rule) const {
    std::call_once(re2_once[rule], [&] {
      if (!re2[rule]) re2[rule] = std::make_unique<RE2>(rules.rules()[rule].regex, Re2Options());
    });
    return *re2[rule];
  }

  const RE2* RelaxedRe2(std::size_t rule) const {
    const RelaxedRepeats& r = relaxed[rule];
    if (r.pattern.empty()) return nullptr;
    std::call_once(relaxed_once[rule], [&] {
      auto re = std::make_unique<RE2>(r.pattern, Re2Options());
      const std::size_t groups = r.group_of.size() - 1 + r.bounds.size();
      if (re->ok() && static_cast<std::size_t>(re->NumberOfCapturingGroups()) == groups) {
        relaxed_re2[rule] = std::move(re);
      }
    });
    return relaxed_re2[rule].get();
  }

  void Confirm(std::string_view text, std::size_t rule, std::uint64_t from, std::uint64_t to,
               std::vector<RawMatch>& out) const;
  // False (and `out` as it was) when a relaxed repeat's length falls outside its bounds.
  bool ConfirmRelaxed(const RE2& re, std::string_view text, std::size_t rule, std::uint64_t from,
                      std::uint64_t to, std::vector<RawMatch>& out) const;
  void ConfirmExact(std::string_view text, std::size_t rule, std::uint64_t from, std::uint64_t to,
                    std::vector<RawMatch>& out) const;
};

namespace {

// Appends the match `whole` (capture 0) if its secret capture is non-empty; returns where
// the next search starts.
std::uint64_t TakeMatch(std::string_view text, std::size_t rule, const re2::StringPiece& whole,
                        const re2::StringPiece& secret, std::uint64_t pos,
                        std::vector<RawMatch>& out) {
  RawMatch m;
  m.rule_index = rule;
  m.start = static_cast<std::uint64_t>(whole.data() - text.data());
  m.end = m.start + whole.size();
  if (secret.data() != nullptr) {
    m.secret_start = static_cast<std::uint64_t>(secret.data() - text.data());
    m.secret_end = m.secret_start + secret.size();
    if (m.secret_end > m.secret_start) out.push_back(m);
  }
  return m.end > pos ? m.end : pos + 1;
}

}  // namespace

void Engine::Impl::Confirm(std::string_view text, std::size_t rule, std::uint64_t from,
                           std::uint64_t to, std::vector<RawMatch>& out) const {
  if (const RE2* fast = RelaxedRe2(rule); fast != nullptr) {
    if (ConfirmRelaxed(*fast, text, rule, from, to, out)) return;
  }
  ConfirmExact(text, rule, from, to, out);
}

// The whole text is passed to RE2 (with a start and end position) so that \b and ^ see
// the real context at the window edge.
bool Engine::Impl::ConfirmRelaxed(const RE2& re, std::string_view text, std::size_t rule,
                                  std::uint64_t from, std::uint64_t to,
                                  std::vector<RawMatch>& out) const {
  const RelaxedRepeats& r = relaxed[rule];
  const auto group =
      static_cast<std::size_t>(r.group_of[static_cast<std::size_t>(secret_group[rule])]);
  std::vector<re2::StringPiece> sub(static_cast<std::size_t>(re.NumberOfCapturingGroups()) + 1);
  const re2::StringPiece whole(text.data(), text.size());
  const std::size_t first = out.size();
  std::uint64_t pos = from;
  while (pos <= to) {
    if (!re.Match(whole, static_cast<size_t>(pos), static_cast<size_t>(to), RE2::UNANCHORED,
                  sub.data(), static_cast<int>(sub.size()))) {
      break;
    }
    if (!WithinBounds(r, sub.data())) {
      out.resize(first);
      return false;
    }
    pos = TakeMatch(text, rule, sub[0], sub[group], pos, out);
  }
  return true;
}

void Engine::Impl::ConfirmExact(std::string_view text, std::size_t rule, std::uint64_t from,
                                std::uint64_t to, std::vector<RawMatch>& out) const {
  const RE2& re = Re2(rule);
  if (!re.ok()) return;  // built-in rules are checked by `rules check`; never crash here
  const int group = secret_group[rule];
  const re2::StringPiece whole(text.data(), text.size());
  re2::StringPiece sub[10];
  std::uint64_t pos = from;
  while (pos <= to) {
    if (!re.Match(whole, static_cast<size_t>(pos), static_cast<size_t>(to), RE2::UNANCHORED, sub,
                  group + 1)) {
      break;
    }
    pos = TakeMatch(text, rule, sub[0], sub[group], pos, out);
  }
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

const RuleSet& Engine::rules() const { return impl_->rules; }
const std::vector<RuleCompileProblem>& Engine::problems() const { return impl_->problems; }
std::uint64_t Engine::max_span() const { return impl_->max_span; }

Result<std::unique_ptr<Engine>> Engine::Create(RuleSet rules, const EngineOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->rules = std::move(rules);
  const auto& all = impl->rules.rules();
  std::vector<HsPattern> patterns(all.size());
  impl->re2.resize(all.size());
  impl->re2_once = std::make_unique<std::once_flag[]>(all.size());
  impl->relaxed.resize(all.size());
  impl->relaxed_re2.resize(all.size());
  impl->relaxed_once = std::make_unique<std::once_flag[]>(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Rule& r = all[i];
    const std::string where =
        r.source_file + ":" + std::to_string(r.source_line) + ": rule '" + r.id + "'";
    int groups = CountCaptureGroups(r.regex);
    if (r.user_rule) {
      auto re = std::make_unique<RE2>(r.regex, Re2Options());
      if (!re->ok())
        return Status::InvalidArgument(where + ": regex does not compile in RE2: " + re->error());
      groups = re->NumberOfCapturingGroups();
      impl->re2[i] = std::move(re);
    }
    int group = r.secret_group;
    if (group < 0) group = groups > 0 ? 1 : 0;
    if (group > groups || group > 9) {
      return Status::InvalidArgument(where + ": secret_group " + std::to_string(group) +
                                     " but the regex has " + std::to_string(groups) + " groups");
    }
    impl->secret_group.push_back(group);
    if (options.relax_repeats) impl->relaxed[i] = RelaxCountedRepeats(r.regex);
    std::uint64_t slack = 0;
    patterns[i].regex = StageOnePattern(r.regex, slack);
    impl->trailing_slack.push_back(slack);
  }

  std::string cache_dir = options.cache_dir.empty() ? DefaultCacheDir() : options.cache_dir;
  if (cache_dir == "-") cache_dir.clear();
  auto db = BuildHsDatabase(patterns, cache_dir);
  if (!db.ok()) return db.status();
  impl->db = std::move(db).value();

  for (std::size_t i = 0; i < all.size(); ++i) {
    const HsPattern& p = patterns[i];
    std::uint64_t s = p.max_width;
    if (s == 0 || s > kUnboundedSpan) s = kUnboundedSpan;
    impl->span.push_back(s);
    impl->max_span = std::max(impl->max_span, s + impl->trailing_slack[i]);
    if (p.mode == HsMode::kPrefilter) {
      impl->problems.push_back({all[i].id, p.error, true, false});
    } else if (p.mode == HsMode::kExcluded) {
      impl->re2_only.push_back(i);
      impl->problems.push_back({all[i].id, p.error, false, false});
    }
  }
  if (impl->db) {
    hs_scratch_t* scratch = nullptr;
    if (hs_alloc_scratch(impl->db.get(), &scratch) != HS_SUCCESS) {
      return Status::InvalidArgument("Hyperscan could not allocate scratch space");
    }
    impl->prototype_scratch.reset(scratch);
  }
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

std::unique_ptr<MatchScratch> Engine::NewScratch() const {
  auto s = std::make_unique<ScratchImpl>();
  if (impl_->prototype_scratch) {
    hs_scratch_t* clone = nullptr;
    if (hs_clone_scratch(impl_->prototype_scratch.get(), &clone) == HS_SUCCESS) s->hs.reset(clone);
  }
  s->hits.reserve(1024);
  s->last_hit.assign(impl_->rules.rules().size(), -1);
  s->spans = &impl_->span;
  return s;
}

Status Engine::Match(std::string_view bytes, MatchScratch& scratch_base, std::vector<RawMatch>& out,
                     std::uint64_t chunk_bytes) const {
  auto& scratch = static_cast<ScratchImpl&>(scratch_base);
  scratch.hits.clear();
  std::fill(scratch.last_hit.begin(), scratch.last_hit.end(), -1);
  const std::uint64_t size = bytes.size();
  // hs_scan takes an unsigned int length; chunks overlap by the longest rule span so a
  // match straddling a boundary is wholly inside the next chunk.
  const std::uint64_t overlap = impl_->max_span;
  std::uint64_t chunk = std::min<std::uint64_t>(chunk_bytes, std::numeric_limits<unsigned>::max());
  if (chunk <= overlap) chunk = overlap + 1;
  if (impl_->db && scratch.hs) {
    std::uint64_t pos = 0;
    while (pos < size || (pos == 0 && size == 0)) {
      const std::uint64_t start = pos > overlap ? pos - overlap : 0;
      const std::uint64_t end = std::min(size, pos + chunk);
      scratch.base = start;
      hs_error_t rc =
          hs_scan(impl_->db.get(), bytes.data() + start, static_cast<unsigned>(end - start), 0,
                  scratch.hs.get(), OnHsMatch, &scratch);
      if (rc != HS_SUCCESS) return Status::InvalidArgument("hs_scan failed: " + std::to_string(rc));
      if (end >= size) break;
      pos = end;
    }
  } else if (impl_->db) {
    return Status::InvalidArgument("no Hyperscan scratch for this thread");
  }

  const std::size_t first = out.size();
  for (const Hit& h : scratch.hits) {
    const std::uint64_t span = impl_->span[h.rule];
    const std::uint64_t from = h.first_end > span ? h.first_end - span : 0;
    const std::uint64_t to =
        std::min<std::uint64_t>(size, h.last_end + impl_->trailing_slack[h.rule]);
    impl_->Confirm(bytes, h.rule, from, to, out);
  }
  for (std::size_t rule : impl_->re2_only) impl_->Confirm(bytes, rule, 0, size, out);

  // Sort by position and drop overlapping duplicates of the same rule (chunk overlaps
  // and neighbouring windows find the same match; keep the longest).
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
            [](const RawMatch& a, const RawMatch& b) {
              if (a.rule_index != b.rule_index) return a.rule_index < b.rule_index;
              if (a.start != b.start) return a.start < b.start;
              return a.end > b.end;
            });
  std::size_t w = first;
  for (std::size_t r = first; r < out.size(); ++r) {
    if (w > first && out[w - 1].rule_index == out[r].rule_index && out[r].start < out[w - 1].end) {
      if (out[r].end > out[w - 1].end) out[w - 1] = out[r];
      continue;
    }
    out[w++] = out[r];
  }
  out.resize(w);
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
            [](const RawMatch& a, const RawMatch& b) {
              if (a.secret_start != b.secret_start) return a.secret_start < b.secret_start;
              return a.rule_index < b.rule_index;
            });
  return Status::Ok();
}

Status Engine::Stage1Rules(std::string_view bytes, MatchScratch& scratch_base,
                           std::vector<std::size_t>& rule_indexes) const {
  auto& scratch = static_cast<ScratchImpl&>(scratch_base);
  scratch.hits.clear();
  std::fill(scratch.last_hit.begin(), scratch.last_hit.end(), -1);
  scratch.base = 0;
  if (impl_->db && scratch.hs) {
    if (hs_scan(impl_->db.get(), bytes.data(), static_cast<unsigned>(bytes.size()), 0,
                scratch.hs.get(), OnHsMatch, &scratch) != HS_SUCCESS) {
      return Status::InvalidArgument("hs_scan failed");
    }
  }
  for (const Hit& h : scratch.hits) rule_indexes.push_back(h.rule);
  for (std::size_t r : impl_->re2_only) rule_indexes.push_back(r);  // stage 1 = "always"
  std::sort(rule_indexes.begin(), rule_indexes.end());
  rule_indexes.erase(std::unique(rule_indexes.begin(), rule_indexes.end()), rule_indexes.end());
  return Status::Ok();
}

Status Engine::CompileAll() const {
  const auto& all = impl_->rules.rules();
  for (std::size_t i = 0; i < all.size(); ++i) {
    const RE2& re = impl_->Re2(i);
    const Rule& r = all[i];
    const std::string where =
        r.source_file + ":" + std::to_string(r.source_line) + ": rule '" + r.id + "'";
    if (!re.ok())
      return Status::InvalidArgument(where + ": regex does not compile in RE2: " + re.error());
    if (re.NumberOfCapturingGroups() != CountCaptureGroups(r.regex)) {
      return Status::InvalidArgument(where + ": capture groups miscounted (" +
                                     std::to_string(CountCaptureGroups(r.regex)) + " vs RE2's " +
                                     std::to_string(re.NumberOfCapturingGroups()) + ")");
    }
  }
  return Status::Ok();
}

std::vector<RawMatch> Engine::MatchWithRe2Only(std::string_view bytes,
                                               std::size_t rule_index) const {
  std::vector<RawMatch> out;
  impl_->Confirm(bytes, rule_index, 0, bytes.size(), out);
  return out;
}

}  // namespace leakproof::scanner
