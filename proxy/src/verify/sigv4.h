// AWS Signature Version 4 (header form) for `scan --verify`'s sts:GetCallerIdentity check:
// the canonical request, the string to sign, the derived signing key and the signature,
// with OpenSSL's HMAC-SHA256. Only what a bodiless request needs: signed headers are
// host and x-amz-date. Pure and thread-safe; the secret never leaves the signature.
#pragma once

#include <chrono>
#include <string>

namespace leakproof::proxy::verify {

struct SigV4Request {
  std::string method;    // "GET", "POST"
  std::string host;      // the Host header exactly as sent ("sts.amazonaws.com")
  std::string path;      // canonical URI, already percent-encoded ("/")
  std::string query;     // "Action=GetCallerIdentity&Version=2011-06-15" (any order)
  std::string amz_date;  // "20150830T123600Z" (X-Amz-Date)
  std::string region;    // "us-east-1"
  std::string service;   // "sts"
};

struct SigV4Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // 64 hex digits
  std::string authorization;  // the Authorization header value
};

SigV4Signature SignV4(const SigV4Request& req, const std::string& access_key_id,
                      const std::string& secret_access_key);

// "YYYYMMDDTHHMMSSZ" in UTC, the X-Amz-Date form.
std::string AmzDate(std::chrono::system_clock::time_point t);

// Lower-case hex SHA-256 and raw HMAC-SHA256 (shared with the verify cache's tests).
std::string Sha256Hex(const std::string& data);
std::string HmacSha256(const std::string& key, const std::string& data);

}  // namespace leakproof::proxy::verify
