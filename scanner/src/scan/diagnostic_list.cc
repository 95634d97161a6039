// AddDiagnostic, see diagnostic_list.h.
#include "scan/diagnostic_list.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace leakproof::scanner {
namespace {

constexpr std::string_view kOverflowPrefix =
    "more kinds of diagnostics than are listed one by one for this input; the first of them: ";

bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Equal but for the digits: "member of 4096 bytes" and "member of 512 bytes" are one
// kind of message; sizes, counts and entry numbers vary with the member.
bool SameKind(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (IsDigit(a[i]) && IsDigit(b[j])) {
      while (i < a.size() && IsDigit(a[i])) ++i;
      while (j < b.size() && IsDigit(b[j])) ++j;
      continue;
    }
    if (a[i] != b[j]) return false;
    ++i;
    ++j;
  }
  return i == a.size() && j == b.size();
}

bool IsOverflow(const Diagnostic& d) {
  return std::string_view(d.message).substr(0, kOverflowPrefix.size()) == kOverflowPrefix;
}

void AddExample(Diagnostic& into, const std::string& location) {
  if (into.examples.size() >= kMaxDiagnosticExamples) return;
  if (std::find(into.examples.begin(), into.examples.end(), location) != into.examples.end()) {
    return;
  }
  into.examples.push_back(location);
}

void Absorb(Diagnostic& into, Diagnostic& d) {
  if (into.examples.empty()) into.examples.push_back(into.location);
  if (d.examples.empty()) {
    AddExample(into, d.location);
  } else {
    for (const std::string& e : d.examples) AddExample(into, e);
  }
  into.count += d.count;
  into.level = std::max(into.level, d.level);  // an overflow line keeps the worst level
}

}  // namespace

void AddDiagnostic(std::vector<Diagnostic>& list, Diagnostic d) {
  if (d.count == 0) d.count = 1;
  const bool overflow = IsOverflow(d);
  Diagnostic* spill = nullptr;
  for (Diagnostic& e : list) {
    if (IsOverflow(e)) {
      if (overflow) {
        Absorb(e, d);
        return;
      }
      spill = &e;
      continue;
    }
    if (e.level == d.level && e.code == d.code && SameKind(e.message, d.message)) {
      Absorb(e, d);
      return;
    }
  }
  if (spill == nullptr && list.size() >= kMaxDistinctDiagnostics && !overflow) {
    Diagnostic o{d.level, d.code, d.location, std::string(kOverflowPrefix) + d.message, 0, {}};
    list.push_back(std::move(o));
    spill = &list.back();
  }
  if (spill != nullptr) {
    Absorb(*spill, d);
    return;
  }
  list.push_back(std::move(d));
}

}  // namespace leakproof::scanner
