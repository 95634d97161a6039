// Builders for small, valid (or deliberately broken) native artifacts in memory:
// binary plists, thin and fat Mach-O, ELF with Dart snapshot symbols, and Hermes
// bytecode of a chosen version. Tests plant fake keys in them and break single fields
// to check diagnostics; the layouts follow the format specs, not any tool's output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leakproof::native_testing {

// bplist00 writer. Each Add* returns the object's index; containers refer to indices,
// which may point forward (Reserve + Set*) to build cycles.
class BplistBuilder {
 public:
  explicit BplistBuilder(int ref_size = 1) : ref_size_(ref_size) {}
  int Ascii(std::string_view s);
  int Utf16(std::u16string_view s);  // stored UTF-16BE
  int Data(std::string_view bytes);
  int Int(std::uint64_t v);
  int Array(std::vector<int> refs);
  int Dict(std::vector<std::pair<int, int>> key_value_refs);
  int Reserve();
  void SetArray(int index, std::vector<int> refs);
  void SetDict(int index, std::vector<std::pair<int, int>> key_value_refs);
  std::string Build(int top) const;

 private:
  struct Obj {
    std::string raw;        // fully encoded scalar
    std::uint8_t kind = 0;  // 0xA array, 0xD dict, 0 scalar
    std::vector<int> refs;  // for dicts: keys then values
  };
  std::vector<Obj> objs_;
  int ref_size_;
};

struct MachoSection {
  std::string segname;
  std::string sectname;
  std::string contents;
};

// A 64-bit little-endian MH_EXECUTE for arm64 with one LC_SEGMENT_64 holding
// `sections`, and, when `cryptid` is set, an LC_ENCRYPTION_INFO_64 covering them.
std::string BuildMacho64(const std::vector<MachoSection>& sections,
                         std::optional<std::uint32_t> cryptid = std::nullopt);

// A fat file (32-bit fat_arch entries) of {cputype, cpusubtype, slice bytes}.
struct FatSlice {
  std::uint32_t cputype;
  std::uint32_t cpusubtype;
  std::string bytes;
};
std::string BuildFatMacho(const std::vector<FatSlice>& slices);

// A 64-bit little-endian ELF shared object with .rodata = `rodata` and a .dynsym
// naming symbols at offsets of .rodata.
struct ElfSymbol {
  std::string name;
  std::uint64_t rodata_offset;
  std::uint64_t size;
};
std::string BuildElf64(const std::string& rodata, const std::vector<ElfSymbol>& symbols);

// Hermes bytecode with `functions` zeroed function headers and the given strings;
// a string whose first member is true is stored UTF-16LE. Strings longer than 254
// units go to the overflow table, as hermesc does.
struct HermesString {
  bool utf16;
  std::u16string text;
};
std::string BuildHermes(std::uint32_t version, std::uint32_t functions,
                        const std::vector<HermesString>& strings);

// ASCII text as UTF-16 code units, and UTF-16LE bytes of a u16string.
std::u16string U16(std::string_view ascii);
std::string Utf16Le(std::u16string_view s);

}  // namespace leakproof::native_testing
