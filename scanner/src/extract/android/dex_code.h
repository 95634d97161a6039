// DEX bytecode: the methods that have code, and instruction widths
// (source.android.com/docs/core/runtime/dalvik-bytecode, instruction-formats).
//
// class_defs[] (32 bytes) point at class_data_item: ULEB128 counts of static fields,
// instance fields, direct and virtual methods; fields as (field_idx_diff, access_flags);
// methods as (method_idx_diff, access_flags, code_off). code_item: u16 registers_size,
// ins_size, outs_size, tries_size, u32 debug_info_off, u32 insns_size (16-bit units),
// then the instructions. Offsets come from the file: every read is bounds-checked, and
// the total of instructions visited is capped, since many classes may point at the same
// large code item.
#pragma once

#include "extract/android/android_byte_reader.h"

#include <cstdint>
#include <functional>

namespace leakproof::scanner {

struct DexCode {
  std::uint32_t method_idx = 0;
  std::uint16_t registers = 0;
  std::uint64_t insns_off = 0;    // file offset of insns[0]
  std::uint32_t insns_units = 0;  // 16-bit code units, all inside the file
};

struct DexCodeWalk {
  std::uint64_t malformed_classes = 0;
  bool capped = false;  // stopped at `max_units` instructions visited
};

// Calls `visit` for every method with a readable code item, in file order, until the
// code units handed out reach `max_units`.
DexCodeWalk ForEachMethodCode(const AndroidByteReader& r, std::uint64_t max_units,
                              const std::function<void(const DexCode&)>& visit);

// Width in code units of the instruction at unit `pc` (payload pseudo-instructions
// included); 0 when it runs past the end of the code.
std::uint32_t DexInsnWidth(const AndroidByteReader& r, const DexCode& code, std::uint32_t pc);

// The code unit `pc` of `code` (0 past its end).
inline std::uint16_t DexUnit(const AndroidByteReader& r, const DexCode& code, std::uint32_t pc) {
  if (pc >= code.insns_units) return 0;
  return r.U16(code.insns_off + 2ull * pc).value_or(0);
}

}  // namespace leakproof::scanner
