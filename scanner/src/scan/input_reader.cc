// File, mmap and stdin reading with clear errors.
#include "scan/input_reader.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace leakproof::scanner {
namespace {

// Files at least this large are mmapped instead of read into the worker's buffer.
constexpr std::uint64_t kMmapThreshold = 16ull << 20;

struct Mapping {
  void* addr = nullptr;
  std::size_t len = 0;
  ~Mapping() {
    if (addr != nullptr) munmap(addr, len);
  }
};

Status ErrnoStatus(const std::string& what, int err) {
  if (err == EACCES || err == EPERM) return Status::IOError(what + ": permission denied");
  if (err == ENOENT) return Status::NotFound(what + ": no such file");
  return Status::IOError(what + ": " + std::strerror(err));
}

}  // namespace

Result<std::uint64_t> ReadUpTo(int fd, std::string& buf, std::uint64_t size) {
  const std::size_t start = buf.size();
  if (size <= start) return std::uint64_t{0};
  buf.resize(size);
  std::size_t got = start;
  while (got < size) {
    const ssize_t n = ::read(fd, buf.data() + got, size - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      buf.resize(start);
      return ErrnoStatus("stdin", err);
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  buf.resize(got);
  return static_cast<std::uint64_t>(got - start);
}

Result<Blob> InputReader::Read(const std::string& path, const std::string& display) {
  // O_NONBLOCK: if the path was swapped for a FIFO after the walk, open() must not block.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return ErrnoStatus("cannot open", errno);
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoStatus("cannot stat", err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::Unsupported("not a regular file");
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_file_bytes_) {
    ::close(fd);
    return Status::LimitExceeded("file is " + std::to_string(size) + " bytes, over the limit of " +
                                 std::to_string(max_file_bytes_) +
                                 " (--max-file-size): not scanned");
  }
  if (size >= kMmapThreshold) {
    void* addr = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    int err = errno;
    ::close(fd);
    if (addr == MAP_FAILED) return ErrnoStatus("cannot map", err);
    madvise(addr, size, MADV_SEQUENTIAL);
    auto mapping = std::make_shared<Mapping>();
    mapping->addr = addr;
    mapping->len = size;
    return Blob::FromView(std::string_view(static_cast<const char*>(addr), size), mapping,
                          Provenance(display));
  }
  buffer_.resize(size);
  std::uint64_t got = 0;
  while (got < size) {
    ssize_t n = ::read(fd, buffer_.data() + got, size - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return ErrnoStatus("read error", err);
    }
    if (n == 0) break;  // file shrank while we read: scan what we have
    got += static_cast<std::uint64_t>(n);
  }
  ::close(fd);
  buffer_.resize(got);
  return Blob::FromView(buffer_, nullptr, Provenance(display));
}

}  // namespace leakproof::scanner
