// Status and Result<T>: how every module API reports failure without throwing.
//
// The scanner never throws across its public API (LevelDB/RE2 style). A per-blob
// failure becomes a Diagnostic and the scan goes on; only set-up failures (rules
// that do not load, an unwritable output) end a run.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace leakproof::scanner {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // caller or user input is wrong (bad flag, bad rule)
  kNotFound,         // a path or a named thing does not exist
  kCorrupt,          // an input format is malformed or truncated
  kUnsupported,      // well-formed but not something we can read (e.g. encrypted)
  kIOError,          // the operating system refused (permission, read error)
  kLimitExceeded,    // a safety limit stopped the work (depth, size, ratio, count)
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status Corrupt(std::string m) { return {StatusCode::kCorrupt, std::move(m)}; }
  static Status Unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
  static Status IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
  static Status LimitExceeded(std::string m) { return {StatusCode::kLimitExceeded, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

 private:
  Status(StatusCode c, std::string m) : code_(c), message_(std::move(m)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Short lower-case name of a code ("corrupt", "limit-exceeded"), used in reports.
const char* StatusCodeName(StatusCode code);

// A value or the Status that explains why there is none. (std::expected is C++23.)
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace leakproof::scanner
