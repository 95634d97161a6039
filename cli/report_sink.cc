#include "report_sink.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace leakproof::cli {

ReportSink::~ReportSink() {
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

scanner::Status ReportSink::Open(const std::string& output) {
  if (output.empty() || output == "-") return scanner::Status::Ok();
  path_ = output;
  to_stdout_ = false;
  out_ = &file_;
  struct stat st {};
  const bool exists = ::stat(output.c_str(), &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) {  // a device or FIFO: nothing to replace
    file_.open(output, std::ios::binary | std::ios::trunc);
  } else if (exists && ::access(output.c_str(), W_OK) != 0) {
    errno = EACCES;  // a read-only report stays read-only, as an in-place write would
  } else {
    std::string templ = output + ".XXXXXX";
    const int fd = ::mkstemp(templ.data());
    if (fd >= 0) {
      // mkstemp makes 0600; a report gets the mode a plain create would (0666 & ~umask).
      const mode_t mask = ::umask(0);
      ::umask(mask);
      ::fchmod(fd, exists ? (st.st_mode & 07777) : (0666 & ~mask));
      ::close(fd);
      temp_ = templ;
      file_.open(temp_, std::ios::binary | std::ios::trunc);
    }
  }
  if (!file_.is_open()) {
    return scanner::Status::IOError("cannot write '" + output + "': " + std::strerror(errno));
  }
  return scanner::Status::Ok();
}

scanner::Status ReportSink::Commit() {
  out_->flush();
  if (!*out_) return scanner::Status::IOError("error writing the report");
  if (temp_.empty()) return scanner::Status::Ok();
  file_.close();
  if (file_.fail() || std::rename(temp_.c_str(), path_.c_str()) != 0) {
    return scanner::Status::IOError("cannot write '" + path_ + "': " + std::strerror(errno));
  }
  temp_.clear();
  return scanner::Status::Ok();
}

}  // namespace leakproof::cli
