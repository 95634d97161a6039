#include "extract/android/dex_code.h"

#include <array>

namespace leakproof::scanner {
namespace {

constexpr std::uint64_t kClassDefsSizeOff = 0x60;
constexpr std::uint64_t kClassDefsOffOff = 0x64;
constexpr std::uint64_t kClassDefSize = 32;
constexpr std::uint64_t kClassDataOff = 24;
constexpr std::uint64_t kCodeHeaderSize = 16;

// Width in code units by opcode, from the instruction formats (10x/11x/12x = 1,
// 2x formats = 2, 3x = 3, 35c/3rc = 3, 45cc/4rcc = 4, 51l = 5); unused opcodes are 1.
constexpr std::array<std::uint8_t, 256> kWidths = [] {
  std::array<std::uint8_t, 256> w{};
  for (auto& x : w) x = 1;
  auto set = [&w](int from, int to, std::uint8_t width) {
    for (int op = from; op <= to; ++op) w[static_cast<std::size_t>(op)] = width;
  };
  set(0x02, 0x02, 2);  // move/from16
  set(0x03, 0x03, 3);  // move/16
  set(0x05, 0x05, 2);
  set(0x06, 0x06, 3);
  set(0x08, 0x08, 2);
  set(0x09, 0x09, 3);
  set(0x13, 0x13, 2);  // const/16
  set(0x14, 0x14, 3);  // const
  set(0x15, 0x16, 2);  // const/high16, const-wide/16
  set(0x17, 0x17, 3);  // const-wide/32
  set(0x18, 0x18, 5);  // const-wide
  set(0x19, 0x1a, 2);  // const-wide/high16, const-string
  set(0x1b, 0x1b, 3);  // const-string/jumbo
  set(0x1c, 0x1c, 2);  // const-class
  set(0x1f, 0x20, 2);  // check-cast, instance-of
  set(0x22, 0x23, 2);  // new-instance, new-array
  set(0x24, 0x26, 3);  // filled-new-array(/range), fill-array-data
  set(0x29, 0x29, 2);  // goto/16
  set(0x2a, 0x2c, 3);  // goto/32, packed-switch, sparse-switch
  set(0x2d, 0x3d, 2);  // cmp*, if-*
  set(0x44, 0x6d, 2);  // aget/aput, iget/iput, sget/sput
  set(0x6e, 0x72, 3);  // invoke-*
  set(0x74, 0x78, 3);  // invoke-*/range
  set(0x90, 0xaf, 2);  // binop
  set(0xd0, 0xe2, 2);  // binop/lit16, binop/lit8
  set(0xfa, 0xfb, 4);  // invoke-polymorphic(/range)
  set(0xfc, 0xfd, 3);  // invoke-custom(/range)
  set(0xfe, 0xff, 2);  // const-method-handle, const-method-type
  return w;
}();

}  // namespace

std::uint32_t DexInsnWidth(const AndroidByteReader& r, const DexCode& code, std::uint32_t pc) {
  const std::uint16_t unit = DexUnit(r, code, pc);
  std::uint64_t width = kWidths[unit & 0xFF];
  // Payloads sit in the code stream behind a nop opcode with an ident in the high byte.
  if (unit == 0x0100) {  // packed-switch-payload: ident, size, first_key(2), targets(2 each)
    width = 4ull + 2ull * DexUnit(r, code, pc + 1);
  } else if (unit == 0x0200) {  // sparse-switch-payload: ident, size, keys(2), targets(2)
    width = 2ull + 4ull * DexUnit(r, code, pc + 1);
  } else if (unit == 0x0300) {  // fill-array-data-payload: ident, width, size(2), data
    const std::uint64_t elem = DexUnit(r, code, pc + 1);
    const std::uint64_t count =
        DexUnit(r, code, pc + 2) | (static_cast<std::uint64_t>(DexUnit(r, code, pc + 3)) << 16);
    width = 4 + (elem * count + 1) / 2;
  }
  if (width > code.insns_units - pc) return 0;
  return static_cast<std::uint32_t>(width);
}

DexCodeWalk ForEachMethodCode(const AndroidByteReader& r, std::uint64_t max_units,
                              const std::function<void(const DexCode&)>& visit) {
  DexCodeWalk walk;
  auto class_count = r.U32(kClassDefsSizeOff);
  auto class_off = r.U32(kClassDefsOffOff);
  if (!class_count || !class_off) return walk;
  if (!r.Has(*class_off, static_cast<std::uint64_t>(*class_count) * kClassDefSize)) {
    walk.malformed_classes = *class_count;
    return walk;
  }
  std::uint64_t units = 0;
  for (std::uint32_t c = 0; c < *class_count; ++c) {
    const std::uint32_t data = *r.U32(*class_off + c * kClassDefSize + kClassDataOff);
    if (data == 0) continue;
    std::uint64_t pos = data;
    std::uint32_t counts[4];
    bool ok = true;
    for (auto& n : counts) {
      auto v = r.Uleb128(pos);
      ok = ok && v.has_value();
      n = v.value_or(0);
    }
    // Fields first (two ULEB128 each); each takes at least two bytes, so a huge count
    // fails at the end of the file.
    for (std::uint64_t f = 0; ok && f < static_cast<std::uint64_t>(counts[0]) + counts[1]; ++f) {
      ok = r.Uleb128(pos) && r.Uleb128(pos);
    }
    for (int list = 0; ok && list < 2; ++list) {
      std::uint32_t method_idx = 0;  // the diffs restart with each list
      for (std::uint32_t m = 0; ok && m < counts[2 + list]; ++m) {
        auto diff = r.Uleb128(pos);
        auto flags = diff ? r.Uleb128(pos) : std::nullopt;
        auto code_off = flags ? r.Uleb128(pos) : std::nullopt;
        if (!code_off) {
          ok = false;
          break;
        }
        method_idx += *diff;
        if (*code_off == 0) continue;  // abstract or native
        auto regs = r.U16(*code_off);
        auto insns = r.U32(*code_off + 12);
        if (!regs || !insns ||
            !r.Has(*code_off + kCodeHeaderSize, static_cast<std::uint64_t>(*insns) * 2)) {
          ok = false;
          break;
        }
        if (units + *insns > max_units) {
          walk.capped = true;
          return walk;
        }
        units += *insns;
        visit(DexCode{method_idx, *regs, *code_off + kCodeHeaderSize, *insns});
      }
    }
    if (!ok) ++walk.malformed_classes;
  }
  return walk;
}

}  // namespace leakproof::scanner
