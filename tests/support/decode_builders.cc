// Builders and the decode driver for the decoding-extractor tests, see decode_builders.h.
#include "support/decode_builders.h"

#include "extract/dotnet/assembly_store_extractor.h"
#include "extract/dotnet/dotnet_extractor.h"
#include "extract/dotnet/xalz_extractor.h"
#include "extract/js/inline_sourcemap_extractor.h"
#include "extract/js/js_escape_extractor.h"
#include "extract/js/sourcemap_extractor.h"
#include "extract/text/base64_extractor.h"
#include "extract/text/utf16_extractor.h"

#include <lz4.h>

#include <algorithm>
#include <memory>

namespace leakproof::testing {

namespace {

void PutU16(std::string& s, std::size_t at, std::uint32_t v) {
  if (s.size() < at + 2) s.resize(at + 2, '\0');
  s[at] = static_cast<char>(v & 0xFF);
  s[at + 1] = static_cast<char>((v >> 8) & 0xFF);
}

void PutU32(std::string& s, std::size_t at, std::uint32_t v) {
  PutU16(s, at, v & 0xFFFF);
  PutU16(s, at + 2, v >> 16);
}

void AppendU32(std::string& s, std::uint32_t v) { PutU32(s, s.size(), v); }

void Pad4(std::string& s) {
  while (s.size() % 4 != 0) s += '\0';
}

}  // namespace

std::string Utf16(std::string_view ascii, bool big_endian) {
  std::string out;
  for (char c : ascii) {
    if (big_endian) out += '\0';
    out += c;
    if (!big_endian) out += '\0';
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) |
                            (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                            static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string BuildDotnetAssembly(const std::vector<std::string>& user_strings,
                                std::string_view blob_heap) {
  // Heaps first, so the metadata size is known.
  std::string us(1, '\0');
  for (const std::string& s : user_strings) {
    const std::size_t len = 2 * s.size() + 1;  // UTF-16 bytes + flag byte
    if (len < 0x80) {
      us += static_cast<char>(len);
    } else {
      us += static_cast<char>(0x80 | (len >> 8));
      us += static_cast<char>(len & 0xFF);
    }
    us += Utf16(s);
    us += '\0';
  }
  Pad4(us);
  std::string blob(blob_heap);
  Pad4(blob);

  std::string md = "BSJB";
  AppendU32(md, 0x00010001);  // major 1, minor 1
  AppendU32(md, 0);           // reserved
  const std::string version("v4.0.30319\0\0", 12);
  AppendU32(md, static_cast<std::uint32_t>(version.size()));
  md += version;
  PutU16(md, md.size(), 0);                               // flags
  PutU16(md, md.size(), 2);                               // streams
  const std::size_t headers = md.size() + 8 + 4 + 8 + 8;  // "#US\0", "#Blob\0\0\0"
  AppendU32(md, static_cast<std::uint32_t>(headers));
  AppendU32(md, static_cast<std::uint32_t>(us.size()));
  md += std::string("#US\0", 4);
  AppendU32(md, static_cast<std::uint32_t>(headers + us.size()));
  AppendU32(md, static_cast<std::uint32_t>(blob.size()));
  md += std::string("#Blob\0\0\0", 8);
  md += us;
  md += blob;

  constexpr std::uint32_t kTextRva = 0x2000, kTextRaw = 0x200, kCliSize = 72;
  std::string pe(kTextRaw, '\0');
  pe[0] = 'M';
  pe[1] = 'Z';
  PutU32(pe, 0x3C, 0x80);
  pe.replace(0x80, 4, std::string("PE\0\0", 4));
  const std::size_t coff = 0x84, opt = coff + 20;
  PutU16(pe, coff, 0x14C);      // i386
  PutU16(pe, coff + 2, 1);      // one section
  PutU16(pe, coff + 16, 0xE0);  // optional header size
  PutU16(pe, coff + 18, 0x2102);
  PutU16(pe, opt, 0x10B);    // PE32
  PutU32(pe, opt + 92, 16);  // data directories
  PutU32(pe, opt + 96 + 8 * 14, kTextRva);
  PutU32(pe, opt + 96 + 8 * 14 + 4, kCliSize);
  const std::size_t sec = opt + 0xE0;
  pe.replace(sec, 5, ".text");
  const auto text_size = static_cast<std::uint32_t>(kCliSize + md.size());
  PutU32(pe, sec + 8, text_size);
  PutU32(pe, sec + 12, kTextRva);
  PutU32(pe, sec + 16, text_size);
  PutU32(pe, sec + 20, kTextRaw);

  std::string cli(kCliSize, '\0');
  PutU32(cli, 0, kCliSize);
  PutU16(cli, 4, 2);
  PutU16(cli, 6, 5);
  PutU32(cli, 8, kTextRva + kCliSize);
  PutU32(cli, 12, static_cast<std::uint32_t>(md.size()));
  PutU32(cli, 16, 1);  // COMIMAGE_FLAGS_ILONLY
  return pe + cli + md;
}

std::string BuildXalz(std::string_view assembly, std::uint32_t index) {
  std::string out = "XALZ";
  AppendU32(out, index);
  AppendU32(out, static_cast<std::uint32_t>(assembly.size()));
  std::string block(static_cast<std::size_t>(LZ4_compressBound(static_cast<int>(assembly.size()))),
                    '\0');
  const int n =
      LZ4_compress_default(assembly.data(), block.data(), static_cast<int>(assembly.size()),
                           static_cast<int>(block.size()));
  block.resize(static_cast<std::size_t>(n > 0 ? n : 0));
  return out + block;
}

std::string BuildAssemblyStore(const std::vector<std::pair<std::string, std::string>>& assemblies,
                               std::uint32_t version) {
  const auto count = static_cast<std::uint32_t>(assemblies.size());
  std::string out = "XABA";
  AppendU32(out, version | 0x80000000u);  // high bits: ABI/64-bit flags
  AppendU32(out, count);
  const std::uint32_t index_size = version == 1 ? 0 : count * 2 * 9;
  AppendU32(out, version == 1 ? count : count * 2);
  AppendU32(out, version == 1 ? 0 : index_size);
  out.append(index_size, '\0');
  const std::size_t desc = out.size();
  const std::size_t stride = version == 1 ? 24 : 28;
  out.append(stride * count, '\0');
  if (version != 1) {
    for (const auto& [name, data] : assemblies) {
      AppendU32(out, static_cast<std::uint32_t>(name.size()));
      out += name;
    }
  }
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::size_t d = desc + i * stride + (version == 1 ? 0 : 4);
    if (version != 1) PutU32(out, d - 4, i);
    PutU32(out, d, static_cast<std::uint32_t>(out.size()));
    PutU32(out, d + 4, static_cast<std::uint32_t>(assemblies[i].second.size()));
    out += assemblies[i].second;
  }
  return out;
}

DecodeRun RunOne(const scanner::Extractor& extractor, const scanner::Blob& blob,
                 const scanner::ExtractLimits& limits) {
  DecodeRun run;
  scanner::ByteBudget budget(limits.max_total_bytes);
  scanner::ExtractContext ctx(limits, budget,
                              [&](scanner::Diagnostic d) { run.diagnostics.push_back(d); });
  run.status = extractor.Extract(blob, ctx, [&](scanner::Blob child) {
    run.children.push_back(std::move(child));
    return true;
  });
  return run;
}

namespace {

const std::vector<std::unique_ptr<scanner::Extractor>>& Decoders() {
  static const auto* kDecoders = [] {
    auto* v = new std::vector<std::unique_ptr<scanner::Extractor>>;
    v->push_back(scanner::NewXalzExtractor());
    v->push_back(scanner::NewAssemblyStoreExtractor());
    v->push_back(scanner::NewDotnetExtractor());
    v->push_back(scanner::NewSourceMapExtractor());
    v->push_back(scanner::NewInlineSourceMapExtractor());
    v->push_back(scanner::NewJsEscapeExtractor());
    v->push_back(scanner::NewBase64Extractor());
    v->push_back(scanner::NewUtf16Extractor());
    return v;
  }();
  return *kDecoders;
}

void Visit(const scanner::Blob& blob, int depth, std::string_view needle,
           scanner::ExtractContext& ctx, std::vector<Hit>& hits) {
  bool replaced = false;
  const std::size_t hits_before = hits.size();
  std::size_t view_hits = 0;  // hits from text-view children (see ChildIsTextView)
  if (depth < ctx.limits().max_depth) {
    for (const auto& ex : Decoders()) {
      if (!ex->CanExtract(blob)) continue;
      replaced = replaced || ex->ReplacesParentScan();
      const std::size_t before = hits.size();
      (void)ex->Extract(blob, ctx, [&](scanner::Blob child) {
        child.set_depth(depth + 1);
        Visit(child, depth + 1, needle, ctx, hits);
        return true;
      });
      if (ex->ChildIsTextView()) view_hits += hits.size() - before;
    }
  }
  // As the scanner does: a needle already found in a child is not reported for the
  // raw parent again, unless only text views found it and the raw parent shows it too.
  if (replaced) return;
  const std::string_view bytes = blob.bytes();
  const bool raw_has_it = bytes.find(needle) != std::string_view::npos;
  if (hits.size() > hits_before) {
    if (!raw_has_it || view_hits != hits.size() - hits_before) return;
    hits.resize(hits_before);
  }
  for (std::size_t at = bytes.find(needle); at != std::string_view::npos;
       at = bytes.find(needle, at + 1)) {
    Hit h;
    h.where = blob.provenance().ToString();
    if (const std::string* label = blob.SegmentLabelAt(at)) h.label = *label;
    if (blob.report_lines()) {
      h.line = 1 + static_cast<std::uint64_t>(std::count(bytes.begin(), bytes.begin() + at, '\n'));
    }
    hits.push_back(h);
  }
}

}  // namespace

std::vector<Hit> DecodeAndFind(const scanner::Blob& root, std::string_view needle,
                               const scanner::ExtractLimits& limits) {
  std::vector<Hit> hits;
  scanner::ByteBudget budget(limits.max_total_bytes);
  scanner::ExtractContext ctx(limits, budget, [](scanner::Diagnostic) {});
  Visit(root, 0, needle, ctx, hits);
  return hits;
}

}  // namespace leakproof::testing
