// SigV4 signing (sigv4.h), following AWS's "Create a signed AWS API request" steps.
#include "verify/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <ctime>
#include <utility>
#include <vector>

namespace leakproof::proxy::verify {
namespace {

std::string Hex(const unsigned char* data, unsigned int n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (unsigned int i = 0; i < n; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 15];
  }
  return out;
}

// The query's name=value pairs sorted by name, then value (the canonical query string).
std::string CanonicalQuery(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> params;
  std::size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    std::size_t amp = query.find('&', start);
    std::string item = query.substr(start, amp == std::string::npos ? amp : amp - start);
    if (!item.empty()) {
      std::size_t eq = item.find('=');
      params.emplace_back(item.substr(0, eq), eq == std::string::npos ? "" : item.substr(eq + 1));
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += k + "=" + v;
  }
  return out;
}

}  // namespace

std::string Sha256Hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr);
  return Hex(md, n);
}

std::string HmacSha256(const std::string& key, const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &n);
  return std::string(reinterpret_cast<const char*>(md), n);
}

std::string AmzDate(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

SigV4Signature SignV4(const SigV4Request& req, const std::string& access_key_id,
                      const std::string& secret_access_key) {
  SigV4Signature s;
  const std::string date = req.amz_date.substr(0, 8);
  const std::string signed_headers = "host;x-amz-date";
  s.canonical_request = req.method + "\n" + (req.path.empty() ? "/" : req.path) + "\n" +
                        CanonicalQuery(req.query) + "\n" + "host:" + req.host + "\n" +
                        "x-amz-date:" + req.amz_date + "\n\n" + signed_headers + "\n" +
                        Sha256Hex("");  // no request body, ever
  const std::string scope = date + "/" + req.region + "/" + req.service + "/aws4_request";
  s.string_to_sign =
      "AWS4-HMAC-SHA256\n" + req.amz_date + "\n" + scope + "\n" + Sha256Hex(s.canonical_request);
  const std::string k_date = HmacSha256("AWS4" + secret_access_key, date);
  const std::string k_region = HmacSha256(k_date, req.region);
  const std::string k_service = HmacSha256(k_region, req.service);
  const std::string k_signing = HmacSha256(k_service, "aws4_request");
  const std::string raw = HmacSha256(k_signing, s.string_to_sign);
  s.signature = Hex(reinterpret_cast<const unsigned char*>(raw.data()),
                    static_cast<unsigned int>(raw.size()));
  s.authorization = "AWS4-HMAC-SHA256 Credential=" + access_key_id + "/" + scope +
                    ", SignedHeaders=" + signed_headers + ", Signature=" + s.signature;
  return s;
}

}  // namespace leakproof::proxy::verify
