// Base64 character table and decoder, see decode_base64.h.
#include "extract/text/decode_base64.h"

namespace leakproof::scanner::decode {

namespace {

constexpr std::array<std::uint8_t, 256> MakeClassTable() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kB64Alphabet | kB64Upper;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kB64Alphabet | kB64Lower;
  for (int c = '0'; c <= '9'; ++c) t[c] = kB64Alphabet | kB64Digit;
  t['+'] = t['/'] = kB64Alphabet | kB64Std;
  t['-'] = t['_'] = kB64Alphabet | kB64Url;
  return t;
}

// 6-bit value of each alphabet character (both alphabets), 0xFF otherwise.
constexpr std::array<std::uint8_t, 256> MakeValueTable() {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = 0xFF;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = static_cast<std::uint8_t>(c - 'A');
  for (int c = 'a'; c <= 'z'; ++c) t[c] = static_cast<std::uint8_t>(26 + c - 'a');
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<std::uint8_t>(52 + c - '0');
  t['+'] = t['-'] = 62;
  t['/'] = t['_'] = 63;
  return t;
}

constexpr std::array<std::uint8_t, 256> kValue = MakeValueTable();

}  // namespace

const std::array<std::uint8_t, 256> kBase64Class = MakeClassTable();

bool Base64Decode(std::string_view in, std::string& out) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  out.reserve(out.size() + Base64DecodedBound(in.size()));
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t v = kValue[p[i]];
    if (v == 0xFF) return false;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return true;
}

}  // namespace leakproof::scanner::decode
