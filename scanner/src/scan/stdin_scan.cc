// ScanStdinStream, see stdin_scan.h.
#include "scan/stdin_scan.h"

#include "extract/extractor.h"
#include "scan/diagnostic_list.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <string>
#include <utility>

namespace leakproof::scanner {
namespace {

constexpr const char* kStdin = "-";

// True when the stream's first bytes are a container that an extractor must see whole.
bool StartsLikeContainer(std::string_view head) {
  const Blob probe = Blob::FromView(head, nullptr, Provenance(kStdin));
  for (const auto& ex : BuiltinExtractors()) {
    if (ex->ReplacesParentScan() && ex->CanExtract(probe)) return true;
  }
  return false;
}

// Where a window starts in the stream: byte offset, and line and column there.
struct StreamPos {
  std::uint64_t offset = 0;
  std::uint32_t line = 1;
  std::uint64_t column = 0;  // bytes already on `line` before the window

  void Advance(std::string_view bytes) {
    offset += bytes.size();
    const std::size_t last_nl = bytes.rfind('\n');
    if (last_nl == std::string_view::npos) {
      column += bytes.size();
      return;
    }
    line += static_cast<std::uint32_t>(std::count(bytes.begin(), bytes.end(), '\n'));
    column = bytes.size() - last_nl - 1;
  }
};

class StdinStream {
 public:
  StdinStream(BlobScanner& scanner, const ScanOptions& options, FileResult& out, int fd)
      : scanner_(scanner), options_(options), out_(out), fd_(fd) {}

  std::uint64_t Run(std::uint64_t window, std::uint64_t overlap) {
    std::string buf;
    if (!Fill(buf, window)) return read_;
    if (buf.size() < window) {
      ScanWhole(std::move(buf));
      return read_;
    }
    if (StartsLikeContainer(buf)) {
      ScanContainer(std::move(buf));
      return read_;
    }
    StreamPos pos;
    std::size_t carried = 0;  // bytes at the front of `buf` the previous window scanned
    while (true) {
      ScanWindow(buf, pos, carried);
      if (buf.size() < window) return read_;  // the stream ended inside this window
      carried = static_cast<std::size_t>(std::min<std::uint64_t>(overlap, buf.size()));
      pos.Advance(std::string_view(buf).substr(0, buf.size() - carried));
      buf.erase(0, buf.size() - carried);
      const std::uint64_t max = options_.limits.max_file_bytes;
      const std::uint64_t room = max > read_ ? max - read_ : 0;
      if (room == 0) {
        std::string probe;
        if (Fill(probe, 1) && !probe.empty()) {
          Warn(StatusCode::kLimitExceeded,
               "stdin: stopped after " + std::to_string(max) +
                   " bytes (--max-file-size); the rest of the stream was not scanned");
        }
        return read_;
      }
      const std::size_t before = buf.size();
      if (!Fill(buf, carried + std::min<std::uint64_t>(window - carried, room))) return read_;
      if (buf.size() == before) return read_;  // nothing new: the stream ended on the boundary
    }
  }

 private:
  // False (after an error diagnostic) when reading failed.
  bool Fill(std::string& buf, std::uint64_t size) {
    Result<std::uint64_t> got = ReadUpTo(fd_, buf, size);
    if (!got.ok()) {
      AddDiagnostic(out_.diagnostics,
                    {read_ == 0 ? DiagnosticLevel::kError : DiagnosticLevel::kWarning,
                     got.status().code(), kStdin,
                     got.status().message() +
                         (read_ == 0 ? "" : "; the rest of the stream was not scanned")});
      return false;
    }
    read_ += *got;
    return true;
  }

  void Warn(StatusCode code, std::string message) {
    AddDiagnostic(out_.diagnostics, {DiagnosticLevel::kWarning, code, kStdin, std::move(message)});
  }

  void ScanWhole(std::string buf) {
    scanner_.ScanTopLevel(Blob::FromString(std::move(buf), Provenance(kStdin)), out_);
  }

  // An archive needs its end (a zip's directory): read on, in growing steps so memory
  // follows the bytes that actually came, up to kStdinArchiveBytes.
  void ScanContainer(std::string buf) {
    const std::uint64_t cap = std::min(kStdinArchiveBytes, options_.limits.max_file_bytes);
    bool ended = false;
    while (!ended && buf.size() < cap) {
      const std::uint64_t want = std::min<std::uint64_t>(cap, buf.size() * 2);
      const std::size_t before = buf.size();
      if (!Fill(buf, want)) break;
      ended = buf.size() - before < want - before;
    }
    if (!ended) {
      std::string probe;
      if (Fill(probe, 1) && !probe.empty()) {
        Warn(StatusCode::kLimitExceeded,
             "stdin: an archive longer than the " + std::to_string(cap) +
                 " bytes held in memory for one on stdin: only its first " +
                 std::to_string(buf.size()) +
                 " bytes were scanned (what a damaged archive's local headers give); "
                 "save it to a file and scan the file");
      }
    }
    ScanWhole(std::move(buf));
  }

  // Scans one window, keeping the stream's offsets, lines and columns, and dropping what
  // the previous window reported already: a key wholly inside the overlap.
  void ScanWindow(const std::string& buf, const StreamPos& pos, std::size_t carried) {
    FileResult part;
    const Blob blob = Blob::FromView(buf, nullptr, Provenance(kStdin));
    scanner_.ScanTopLevel(blob, part);
    std::set<std::pair<std::string, std::string>> found;
    for (Finding& f : part.findings) {
      const bool raw = f.location.path == kStdin;  // not from a decoded child
      std::pair<std::string, std::string> key(f.rule != nullptr ? f.rule->id : "", f.secret);
      if (previous_.count(key) != 0 && (!raw || f.location.offset < carried)) continue;
      if (raw) {
        if (f.location.line == 1) f.location.column += static_cast<std::uint32_t>(pos.column);
        f.location.line += pos.line - 1;
        f.location.offset += pos.offset;
      }
      found.insert(std::move(key));
      if (out_.findings.size() >= options_.max_findings) {
        Warn(StatusCode::kLimitExceeded,
             "more than --max-findings findings: the rest were not reported");
        break;
      }
      out_.findings.push_back(std::move(f));
    }
    previous_ = std::move(found);
    for (Diagnostic& d : part.diagnostics) AddDiagnostic(out_.diagnostics, std::move(d));
    out_.blobs += part.blobs;
    out_.scanned_bytes += part.scanned_bytes - std::min<std::uint64_t>(carried, part.scanned_bytes);
    out_.suppressed += part.suppressed;
  }

  BlobScanner& scanner_;
  const ScanOptions& options_;
  FileResult& out_;
  int fd_;
  std::uint64_t read_ = 0;
  // (rule, secret) reported by the previous window: seen again in the overlap, the same.
  std::set<std::pair<std::string, std::string>> previous_;
};

}  // namespace

std::uint64_t ScanStdinStream(BlobScanner& scanner, const Engine& engine,
                              const ScanOptions& options, FileResult& out, std::uint64_t window,
                              int fd) {
  const std::uint64_t overlap = engine.max_span();
  // Never hold more than --max-file-size, and always make progress past the overlap.
  window = std::max(std::min(window, options.limits.max_file_bytes), 2 * overlap + 1);
  return StdinStream(scanner, options, out, fd).Run(window, overlap);
}

}  // namespace leakproof::scanner
