// The per-input pipeline: extract, match, filter, build findings.
#include "scan/blob_scanner.h"

#include "detect/named_detector.h"
#include "extract/extractor.h"
#include "scan/diagnostic_list.h"
#include "scan/filters.h"
#include "scan/member_fanout.h"
#include "scan/scan_scheduler.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace leakproof::scanner {
namespace {

constexpr std::size_t kSnippetBytes = 40;
constexpr std::size_t kUrlReach = 1024;
constexpr std::size_t kMaxUrls = 5;
constexpr std::string_view kMaxFindingsMessage =
    "more than --max-findings findings: the rest were not reported";

std::string Printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else if (c < 0x20 || c == 0x7f) {
      out += '.';
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool IsUrlChar(unsigned char c) {
  return std::isalnum(c) != 0 || std::strchr("-._~:/?#[]@!$&'()*+,;=%", c) != nullptr;
}

// text[from, to) as printable context, with every other secret matched in this blob
// redacted too: a snippet must never carry a neighbouring key in full (a publishable
// key's context often holds the secret key declared next to it).
std::string Context(std::string_view text, std::uint64_t from, std::uint64_t to,
                    const std::vector<RawMatch>& matches) {
  std::string out;
  std::uint64_t pos = from;
  for (const RawMatch& o : matches) {
    if (o.secret_end <= pos || o.secret_start >= to) continue;
    if (o.secret_start > pos) out += Printable(text.substr(pos, o.secret_start - pos));
    const std::uint64_t s = std::max(o.secret_start, pos);
    if (s == o.secret_start) {
      out += Redact(std::string(text.substr(o.secret_start, o.secret_end - o.secret_start)));
    }
    pos = std::min(o.secret_end, to);
  }
  if (pos < to) out += Printable(text.substr(pos, to - pos));
  return out;
}

// http(s) URLs within kUrlReach bytes of the secret: the BFF generator derives the
// upstream paths the frontend used from them. A URL holding this finding's own secret is
// dropped; any other matched secret inside a URL is redacted like in snippets (a Maps key
// in `?key=` beside a Stripe key), so host and path stay usable.
std::vector<std::string> NearbyUrls(std::string_view text, std::uint64_t start, std::uint64_t end,
                                    const std::vector<RawMatch>& matches) {
  std::vector<std::string> urls;
  const std::size_t from = start > kUrlReach ? start - kUrlReach : 0;
  const std::size_t to = std::min<std::size_t>(text.size(), end + kUrlReach);
  const std::string_view window = text.substr(from, to - from);
  const std::string_view secret = text.substr(start, end - start);
  std::size_t pos = 0;
  while (urls.size() < kMaxUrls) {
    std::size_t h = window.find("http", pos);
    if (h == std::string_view::npos) break;
    std::size_t scheme_end = window.compare(h, 8, "https://") == 0  ? h + 8
                             : window.compare(h, 7, "http://") == 0 ? h + 7
                                                                    : std::string_view::npos;
    if (scheme_end == std::string_view::npos) {
      pos = h + 4;
      continue;
    }
    std::size_t e = scheme_end;
    while (e < window.size() && IsUrlChar(static_cast<unsigned char>(window[e]))) ++e;
    // Trailing punctuation belongs to the surrounding code, not the URL.
    while (e > scheme_end && std::strchr(".,;:)'\"]", window[e - 1]) != nullptr) --e;
    if (e > scheme_end + 3 && window.substr(h, e - h).find(secret) == std::string_view::npos) {
      std::string url = Context(text, from + h, from + e, matches);
      if (std::find(urls.begin(), urls.end(), url) == urls.end()) urls.push_back(std::move(url));
    }
    pos = e;
  }
  return urls;
}

// The secret's own line on each side (at most kSnippetBytes), other secrets redacted: what
// the per-location fingerprint keys on, so edits to other lines leave it alone.
std::pair<std::string, std::string> LineContext(std::string_view text, std::uint64_t start,
                                                std::uint64_t end,
                                                const std::vector<RawMatch>& matches) {
  std::uint64_t b = start > kSnippetBytes ? start - kSnippetBytes : 0;
  const std::string_view before = text.substr(b, start - b);
  if (std::size_t nl = before.rfind('\n'); nl != std::string_view::npos) b += nl + 1;
  std::uint64_t e = std::min<std::uint64_t>(text.size(), end + kSnippetBytes);
  const std::string_view after = text.substr(end, e - end);
  if (std::size_t nl = after.find('\n'); nl != std::string_view::npos) e = end + nl;
  return {Context(text, b, start, matches), Context(text, end, e, matches)};
}

// Tracks line numbers incrementally: matches arrive sorted by offset.
class LineCounter {
 public:
  explicit LineCounter(std::string_view text) : text_(text) {}
  void Advance(std::uint64_t offset, std::uint32_t& line, std::uint32_t& column) {
    while (pos_ < offset) {
      const void* nl = std::memchr(text_.data() + pos_, '\n', offset - pos_);
      if (nl == nullptr) {
        pos_ = offset;
        break;
      }
      const std::uint64_t at =
          static_cast<std::uint64_t>(static_cast<const char*>(nl) - text_.data());
      ++line_;
      line_start_ = at + 1;
      pos_ = at + 1;
    }
    line = line_;
    column = static_cast<std::uint32_t>(offset - line_start_ + 1);
  }

 private:
  std::string_view text_;
  std::uint64_t pos_ = 0;
  std::uint64_t line_start_ = 0;
  std::uint32_t line_ = 1;
};

bool IsGeneric(const Rule& r) { return r.provider == "generic" || r.provider == "custom"; }
// Generic rules, then provider catch-alls, give way to a more specific rule's finding.
enum Specificity { kGeneric, kFallback, kSpecific };
Specificity SpecificityOf(const Rule& r) {
  return IsGeneric(r) ? kGeneric : (r.fallback ? kFallback : kSpecific);
}

}  // namespace

class BlobScanner::Run {
 public:
  // `group`: the fan-out whose member this run scans (null for a top-level input).
  Run(BlobScanner& s, FileResult& out, ByteBudget& budget,
      const ScanScheduler::Group* group = nullptr)
      : s_(s),
        out_(out),
        ctx_(s.options_.limits, budget,
             [this](Diagnostic d) { AddDiagnostic(out_.diagnostics, std::move(d)); }),
        group_(group) {}

  void Process(const Blob& blob) {
    ++out_.blobs;
    bool replaced = false;
    const std::size_t first_child_finding = out_.findings.size();
    // Findings of text-view children (see Extractor::ChildIsTextView), by index.
    std::vector<std::size_t> from_views;
    // The skip list belongs to the blob being extracted: set the enclosing blob's aside
    // while this one's extractors (and their children, recursively) run.
    std::vector<ByteRange> outer_skips;
    outer_skips.swap(ctx_.parent_skips());
    for (const auto& ex : BuiltinExtractors()) {
      if (!ex->CanExtract(blob)) continue;
      if (blob.depth() >= s_.options_.limits.max_depth) {
        ctx_.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kLimitExceeded,
                      std::string(ex->name()) + " content nested deeper than --max-depth " +
                          std::to_string(s_.options_.limits.max_depth) + ": not extracted");
        continue;
      }
      const std::size_t before = out_.findings.size();
      Status st = s_.scheduler_ != nullptr && ex->IndependentChildren()
                      ? ExtractInParallel(*ex, blob)
                      : ex->Extract(blob, ctx_, [&](Blob child) {
                          child.set_depth(blob.depth() + 1);
                          Process(child);
                          return !AtMaxFindings(blob);
                        });
      if (ex->ChildIsTextView()) {
        for (std::size_t i = before; i < out_.findings.size(); ++i) from_views.push_back(i);
      }
      if (!st.ok()) {
        ctx_.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, st.code(),
                      std::string(ex->name()) + ": " + st.message());
      } else if (ex->ReplacesParentScan()) {
        replaced = true;
      }
    }
    std::vector<ByteRange> skips;
    skips.swap(ctx_.parent_skips());
    ctx_.parent_skips().swap(outer_skips);
    if (replaced) return;
    // A key already reported inside a child (a source map's original source, a Mach-O
    // UTF-16 string) is not reported again for the raw parent, by any rule: the child
    // says more. Text views are the exception: there the parent's report wins.
    std::unordered_set<std::string> in_children;
    std::size_t v = 0;
    for (std::size_t i = first_child_finding; i < out_.findings.size(); ++i) {
      while (v < from_views.size() && from_views[v] < i) ++v;
      if (v < from_views.size() && from_views[v] == i) continue;
      in_children.insert(out_.findings[i].secret);
    }
    const std::size_t first_own_finding = out_.findings.size();
    Match(blob, in_children, skips);
    if (from_views.empty() || first_own_finding == out_.findings.size()) return;
    std::unordered_set<std::string> in_parent;
    for (std::size_t i = first_own_finding; i < out_.findings.size(); ++i) {
      in_parent.insert(out_.findings[i].secret);
    }
    std::vector<bool> drop(out_.findings.size(), false);
    for (std::size_t i : from_views) drop[i] = in_parent.count(out_.findings[i].secret) != 0;
    EraseMarked(out_.findings, drop);
  }

 private:
  // Extract() with the children handed out to free workers, then their results merged
  // in member order: the same findings as Process(child) on each, in turn, here.
  Status ExtractInParallel(const Extractor& ex, const Blob& blob) {
    ByteBudget& budget = ctx_.budget();
    const int depth = blob.depth() + 1;
    MemberFanOut fan(*s_.scheduler_, s_, group_);
    ExtractContext ctx(s_.options_.limits, budget,
                       [&fan](Diagnostic d) { fan.AddDiagnostic(std::move(d)); });
    ctx.set_members_largest_first(true);
    // Members finish out of order, so which ones make the cut is only known at the
    // merge; stopping once the members scanned so far reach the limit bounds the work.
    const std::size_t max = s_.options_.max_findings;
    auto more = [&] { return out_.findings.size() + fan.findings_so_far() < max; };
    ctx.set_deferred_sink([&](std::uint64_t index, std::uint64_t held, ChildMaker make) {
      fan.Submit(index, held,
                 [&budget, depth, make = std::move(make)](
                     BlobScanner& scanner, const ScanScheduler::Group& group, FileResult& out) {
                   Run run(scanner, out, budget, &group);
                   if (std::optional<Blob> child = make(run.ctx_)) {
                     child->set_depth(depth);
                     run.Process(*child);
                   }
                 });
      return more();
    });
    Status st = ex.Extract(blob, ctx, [&](Blob child) {
      child.set_depth(depth);
      const std::uint64_t index = child.member_index();
      const std::uint64_t held = child.size();
      fan.Submit(index, held,
                 [&budget, child = std::move(child)](
                     BlobScanner& scanner, const ScanScheduler::Group& group, FileResult& out) {
                   Run(scanner, out, budget, &group).Process(child);
                 });
      return more();
    });
    for (FileResult& r : fan.Finish()) Merge(std::move(r), blob);
    AtMaxFindings(blob);
    return st;
  }

  // Appends a member's result, keeping --max-findings and its one diagnostic per input.
  void Merge(FileResult r, const Blob& archive) {
    out_.blobs += r.blobs;
    out_.scanned_bytes += r.scanned_bytes;
    out_.suppressed += r.suppressed;
    for (Diagnostic& d : r.diagnostics) {
      if (d.message == kMaxFindingsMessage && std::exchange(max_reported_, true)) continue;
      AddDiagnostic(out_.diagnostics, std::move(d));
    }
    for (Finding& f : r.findings) {
      if (out_.findings.size() >= s_.options_.max_findings) {
        ReportMaxFindings(archive);
        break;
      }
      out_.findings.push_back(std::move(f));
    }
  }

  void ReportMaxFindings(const Blob& blob) {
    if (std::exchange(max_reported_, true)) return;
    ctx_.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, StatusCode::kLimitExceeded,
                  std::string(kMaxFindingsMessage));
  }

  // True (and reported) once --max-findings is reached: the extractor then stops, and
  // members it did not emit may hold more.
  bool AtMaxFindings(const Blob& blob) {
    if (out_.findings.size() < s_.options_.max_findings) return false;
    ReportMaxFindings(blob);
    return true;
  }

  void Match(const Blob& blob, const std::unordered_set<std::string>& in_children,
             const std::vector<ByteRange>& skips) {
    auto& matches = s_.matches_;
    matches.clear();
    if (!MatchOutside(blob, skips, matches)) return;
    AppendNamedMatches(blob, s_.engine_.rules(), matches);  // detect/named_detector.h
    if (matches.empty()) return;
    const std::string_view text = blob.bytes();
    LineCounter lines(text);
    const std::string path = blob.provenance().ToString();
    std::vector<Finding> local;
    for (const RawMatch& m : matches) {
      const Rule& rule = RuleAt(s_.engine_.rules(), m.rule_index);
      std::string secret(text.substr(m.secret_start, m.secret_end - m.secret_start));
      // Part of the rule's shape, like its regex: a miss here is no match, not a suppression.
      if (rule.min_digits > 0 && CountDigits(secret) < rule.min_digits) continue;
      const double entropy = ShannonEntropy(secret);
      if ((rule.min_entropy > 0 && entropy < rule.min_entropy) ||
          (s_.options_.suppress_placeholders && LooksLikePlaceholder(secret)) ||
          LineHasAllowComment(text, m.secret_start) || AllowlistedByRule(rule, secret) ||
          !s_.scope_.Reports(rule, secret, path)) {
        ++out_.suppressed;
        continue;
      }
      if (in_children.count(secret) != 0) continue;
      Finding f;
      f.rule = &rule;
      // The baseline is not applied here: Scan() applies it to the input's final
      // findings, after the overlap and child/parent de-duplication below, so a
      // baselined key never un-hides the generic match it covered.
      f.secret = std::move(secret);
      f.entropy = entropy;
      f.confidence = ConfidenceOf(rule);
      Location& loc = f.location;
      loc.path = path;
      for (const Origin& o : blob.provenance().chain()) {
        if (!o.is_decoding) loc.provenance.push_back(o.name);
      }
      if (const std::string* label = blob.SegmentLabelAt(m.secret_start)) loc.detail = *label;
      if (loc.detail.empty() && !blob.provenance().chain().empty()) {
        loc.detail = blob.provenance().chain().back().detail;
      }
      loc.offset = m.secret_start;
      if (blob.report_lines()) lines.Advance(m.secret_start, loc.line, loc.column);
      const std::uint64_t b = m.secret_start > kSnippetBytes ? m.secret_start - kSnippetBytes : 0;
      const std::uint64_t e = std::min<std::uint64_t>(text.size(), m.secret_end + kSnippetBytes);
      f.snippet_before = Context(text, b, m.secret_start, matches);
      f.snippet_after = Context(text, m.secret_end, e, matches);
      f.context_urls = NearbyUrls(text, m.secret_start, m.secret_end, matches);
      const auto [line_before, line_after] =
          LineContext(text, m.secret_start, m.secret_end, matches);
      f.fingerprint = LocationFingerprint(rule.id, NormalisedPath(loc.path, CurrentDirectory()),
                                          line_before, line_after, f.secret);
      local.push_back(std::move(f));
    }
    DropGenericOverlaps(local);
    for (Finding& f : local) {
      if (out_.findings.size() >= s_.options_.max_findings) {
        ReportMaxFindings(blob);
        break;
      }
      out_.findings.push_back(std::move(f));
    }
  }

  // Runs the engine over the blob minus `skips` (ranges its children covered), with
  // offsets relative to the whole blob. False (after a diagnostic) on an engine error.
  bool MatchOutside(const Blob& blob, std::vector<ByteRange> skips,
                    std::vector<RawMatch>& matches) {
    const std::string_view text = blob.bytes();
    std::sort(skips.begin(), skips.end(),
              [](const ByteRange& a, const ByteRange& b) { return a.begin < b.begin; });
    std::uint64_t from = 0;
    std::size_t k = 0;
    while (from < text.size() || (from == 0 && text.empty())) {
      while (k < skips.size() && skips[k].end <= from) ++k;
      const std::uint64_t to =
          k < skips.size() ? std::min<std::uint64_t>(skips[k].begin, text.size()) : text.size();
      if (to > from || text.empty()) {
        const std::size_t first = matches.size();
        out_.scanned_bytes += to - from;
        Status st = s_.engine_.Match(text.substr(from, to - from), *s_.scratch_, matches,
                                     s_.options_.chunk_bytes);
        if (!st.ok()) {
          ctx_.Diagnose(blob.provenance(), DiagnosticLevel::kWarning, st.code(), st.message());
          return false;
        }
        for (std::size_t i = first; i < matches.size(); ++i) {
          matches[i].start += from;
          matches[i].end += from;
          matches[i].secret_start += from;
          matches[i].secret_end += from;
        }
      }
      if (k >= skips.size()) break;
      from = std::max(from, skips[k].end);
    }
    return true;
  }

  static bool AllowlistedByRule(const Rule& rule, const std::string& secret) {
    if (rule.stopwords.empty()) return false;
    std::string lower = secret;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const std::string& w : rule.stopwords) {
      std::string lw = w;
      for (char& c : lw) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (!lw.empty() && lower.find(lw) != std::string::npos) return true;
    }
    return false;
  }

  // A provider rule and a generic rule (api_key = "...") or a provider's catch-all that
  // found the same bytes: the more specific rule says more, so the other duplicate goes.
  static void DropGenericOverlaps(std::vector<Finding>& v) {
    std::vector<bool> drop(v.size(), false);
    for (std::size_t i = 0; i < v.size(); ++i) {
      const Specificity mine = SpecificityOf(*v[i].rule);
      if (mine == kSpecific) continue;
      const std::uint64_t s = v[i].location.offset;
      const std::uint64_t e = s + v[i].secret.size();
      for (std::size_t j = 0; j < v.size(); ++j) {
        if (i == j || SpecificityOf(*v[j].rule) <= mine) continue;
        const std::uint64_t s2 = v[j].location.offset;
        const std::uint64_t e2 = s2 + v[j].secret.size();
        if (s < e2 && s2 < e) {
          drop[i] = true;
          break;
        }
      }
    }
    EraseMarked(v, drop);
  }

  // Removes v[i] for every i with drop[i], keeping the order of the rest.
  static void EraseMarked(std::vector<Finding>& v, const std::vector<bool>& drop) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (drop[i]) continue;
      if (w != i) v[w] = std::move(v[i]);  // never self-move: it would empty the finding
      ++w;
    }
    v.resize(w);
  }

  BlobScanner& s_;
  FileResult& out_;
  ExtractContext ctx_;
  const ScanScheduler::Group* group_;
  bool max_reported_ = false;
};

BlobScanner::BlobScanner(const Engine& engine, const ScanOptions& options, ScanScheduler* scheduler)
    : engine_(engine), options_(options), scheduler_(scheduler), scratch_(engine.NewScratch()) {
  matches_.reserve(256);
}

void BlobScanner::ScanTopLevel(const Blob& blob, FileResult& out) {
  // max_entries bounds the members of one archive, and of all nested ones together.
  ByteBudget budget(options_.limits.max_total_bytes, options_.limits.max_entries);
  Run run(*this, out, budget);
  run.Process(blob);
}

}  // namespace leakproof::scanner
