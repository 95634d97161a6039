// The zip extractor's libdeflate path: ZipInflater (one-shot inflation of a deflated
// member whose sizes the central directory declares) and InflateWhole (a member from
// its stream, CRC checked, as a child blob).
//
// libdeflate inflates a whole buffer at once about twice as fast as zlib's streaming
// inflate (which libzip uses), straight into one buffer of the declared size: no 64 KiB
// chunks copied into a growing string, no reallocation. It needs the sizes up front
// and gives nothing for a damaged stream, so the zip extractor keeps libzip's streaming
// reader for everything else (stored members, other methods, unknown sizes, damaged
// streams, where libzip still yields the bytes before the damage).
#pragma once

#include "extract/extractor.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

struct libdeflate_decompressor;

namespace leakproof::scanner {

class ZipInflater {
 public:
  enum class Outcome {
    kOk,        // exactly the declared size
    kShort,     // a complete stream, but fewer bytes than declared
    kTooLarge,  // the stream holds more than the declared size
    kCorrupt,   // not a valid deflate stream
  };
  struct Inflated {
    Outcome outcome = Outcome::kCorrupt;
    std::shared_ptr<const char[]> bytes;  // kOk and kShort: the inflated member
    std::uint64_t size = 0;               // bytes in `bytes`
  };

  ZipInflater();
  ~ZipInflater();
  ZipInflater(const ZipInflater&) = delete;
  ZipInflater& operator=(const ZipInflater&) = delete;

  // Inflates the raw deflate stream `deflated` into a new buffer of `declared` bytes
  // (the caller has charged them to the budget and checked them against the limits).
  Inflated Inflate(std::string_view deflated, std::uint64_t declared);

  // CRC-32 (the zip one) of `bytes`.
  static std::uint32_t Crc32(std::string_view bytes);

 private:
  libdeflate_decompressor* decompressor_;
};

// What the central directory says about a deflated member, for the libdeflate path.
struct ZipMemberFacts {
  std::uint64_t index = 0;
  std::uint64_t size = 0;  // uncompressed, charged to the budget before inflating
  std::uint64_t comp = 0;
  std::uint32_t crc = 0;
  Provenance where;
};

// Inflates a member's raw deflate `stream` with libdeflate and checks its CRC.
// nullopt, with the budget for `f.size` given back, when the stream is damaged or
// longer than declared: libzip's streaming reader then reads what precedes the damage
// and says what is wrong.
std::optional<Blob> InflateWhole(std::string_view stream, const ZipMemberFacts& f,
                                 ZipInflater& inflater, ExtractContext& ctx);

}  // namespace leakproof::scanner
