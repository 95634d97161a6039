// Where a report goes: stdout ("-o -" or no -o), or a file.
//
// A file report is written to a temporary file beside it and renamed into place only
// once the whole report is written, so a run that fails (rules that do not load, an
// interrupted scan, a full disk) never leaves an empty or truncated report behind, and
// never destroys the previous one. The temporary file is created before the scan, so an
// unwritable path fails in a second instead of after a long scan. A path that is not a
// regular file (/dev/stdout, a FIFO) is written in place.
#pragma once

#include "leakproof/scanner/status.h"

#include <fstream>
#include <iostream>
#include <string>

namespace leakproof::cli {

class ReportSink {
 public:
  ReportSink() = default;
  ReportSink(const ReportSink&) = delete;
  ReportSink& operator=(const ReportSink&) = delete;
  ~ReportSink();  // removes an uncommitted temporary file

  // Opens `output` ("" or "-": stdout).
  scanner::Status Open(const std::string& output);
  std::ostream& out() { return *out_; }
  bool to_stdout() const { return to_stdout_; }
  // Flushes and, for a file, moves the finished report into place.
  scanner::Status Commit();

 private:
  std::ofstream file_;
  std::ostream* out_ = &std::cout;
  bool to_stdout_ = true;
  std::string path_;  // the report's path ("" for stdout)
  std::string temp_;  // the temporary file renamed onto path_ ("" when written in place)
};

}  // namespace leakproof::cli
