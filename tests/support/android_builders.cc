// Android binary format writers for tests, see android_builders.h.
#include "support/android_builders.h"

#include <map>

namespace leakproof::testing {

namespace {

void AppendU8(std::string& out, std::uint32_t v) { out += static_cast<char>(v & 0xFF); }
void AppendU16(std::string& out, std::uint32_t v) {
  AppendU8(out, v);
  AppendU8(out, v >> 8);
}
void AppendU32(std::string& out, std::uint32_t v) {
  AppendU16(out, v & 0xFFFF);
  AppendU16(out, v >> 16);
}
void Pad4(std::string& out) {
  while (out.size() % 4 != 0) out += '\0';
}

// UTF-8 to code points (test inputs are valid UTF-8).
std::vector<std::uint32_t> CodePoints(const std::string& s) {
  std::vector<std::uint32_t> cps;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    int n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    std::uint32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (int k = 1; k < n && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    cps.push_back(cp);
    i += n;
  }
  return cps;
}

std::vector<std::uint16_t> Utf16(const std::string& s) {
  std::vector<std::uint16_t> units;
  for (std::uint32_t cp : CodePoints(s)) {
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units.push_back(static_cast<std::uint16_t>(0xD800 + (cp >> 10)));
      units.push_back(static_cast<std::uint16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      units.push_back(static_cast<std::uint16_t>(cp));
    }
  }
  return units;
}

// One UTF-16 unit as 1-3 (M)UTF-8 bytes; U+0000 as C0 80.
void AppendMutf8Unit(std::string& out, std::uint32_t u) {
  if (u != 0 && u < 0x80) {
    AppendU8(out, u);
  } else if (u < 0x800) {
    AppendU8(out, 0xC0 | (u >> 6));
    AppendU8(out, 0x80 | (u & 0x3F));
  } else {
    AppendU8(out, 0xE0 | (u >> 12));
    AppendU8(out, 0x80 | ((u >> 6) & 0x3F));
    AppendU8(out, 0x80 | (u & 0x3F));
  }
}

void AppendUleb128(std::string& out, std::uint32_t v) {
  do {
    std::uint32_t b = v & 0x7F;
    v >>= 7;
    AppendU8(out, v ? (b | 0x80) : b);
  } while (v);
}

void AppendChunkHeader(std::string& out, std::uint16_t type, std::uint16_t header_size) {
  AppendU16(out, type);
  AppendU16(out, header_size);
  AppendU32(out, 0);  // size, patched by FinishChunk
}
void FinishChunk(std::string& out, std::size_t start) {
  PutU32(out, start + 4, static_cast<std::uint32_t>(out.size() - start));
}

// Assigns pool indices in first-use order.
class PoolIndex {
 public:
  std::uint32_t Of(const std::string& s) {
    auto [it, added] = index_.emplace(s, static_cast<std::uint32_t>(strings_.size()));
    if (added) strings_.push_back(s);
    return it->second;
  }
  const std::vector<std::string>& strings() const { return strings_; }

 private:
  std::map<std::string, std::uint32_t> index_;
  std::vector<std::string> strings_;
};

void AppendResValueString(std::string& out, std::uint32_t index) {
  AppendU16(out, 8);
  AppendU8(out, 0);
  AppendU8(out, 0x03);  // TYPE_STRING
  AppendU32(out, index);
}

}  // namespace

void PutU16(std::string& out, std::size_t at, std::uint16_t v) {
  out[at] = static_cast<char>(v & 0xFF);
  out[at + 1] = static_cast<char>(v >> 8);
}
void PutU32(std::string& out, std::size_t at, std::uint32_t v) {
  PutU16(out, at, static_cast<std::uint16_t>(v & 0xFFFF));
  PutU16(out, at + 2, static_cast<std::uint16_t>(v >> 16));
}

std::string BuildStringPool(const std::vector<std::string>& strings, bool utf8) {
  std::string data;
  std::vector<std::uint32_t> offsets;
  for (const std::string& s : strings) {
    offsets.push_back(static_cast<std::uint32_t>(data.size()));
    if (utf8) {
      auto len = [&](std::size_t n) {
        if (n > 0x7F) AppendU8(data, 0x80 | (n >> 8));
        AppendU8(data, static_cast<std::uint32_t>(n & 0xFF));
      };
      len(Utf16(s).size());
      len(s.size());
      data += s;
      AppendU8(data, 0);
    } else {
      auto units = Utf16(s);
      if (units.size() > 0x7FFF) {
        AppendU16(data, 0x8000 | static_cast<std::uint32_t>(units.size() >> 16));
      }
      AppendU16(data, static_cast<std::uint32_t>(units.size() & 0xFFFF));
      for (auto u : units) AppendU16(data, u);
      AppendU16(data, 0);
    }
  }
  Pad4(data);
  std::string out;
  AppendChunkHeader(out, 0x0001, 28);
  AppendU32(out, static_cast<std::uint32_t>(strings.size()));
  AppendU32(out, 0);                                                    // styleCount
  AppendU32(out, utf8 ? 0x100 : 0);                                     // flags
  AppendU32(out, 28 + 4 * static_cast<std::uint32_t>(strings.size()));  // stringsStart
  AppendU32(out, 0);                                                    // stylesStart
  for (auto o : offsets) AppendU32(out, o);
  out += data;
  FinishChunk(out, 0);
  return out;
}

namespace {

// string_data_item for each of `strings` appended to `data`, whose first byte will sit
// at file offset `data_start`; returns each item's file offset.
std::vector<std::uint32_t> AppendDexStringData(std::string& data, std::size_t data_start,
                                               const std::vector<std::string>& strings) {
  std::vector<std::uint32_t> offsets;
  for (const std::string& s : strings) {
    offsets.push_back(static_cast<std::uint32_t>(data_start + data.size()));
    auto units = Utf16(s);
    AppendUleb128(data, static_cast<std::uint32_t>(units.size()));
    for (auto u : units) AppendMutf8Unit(data, u);
    AppendU8(data, 0);
  }
  return offsets;
}

std::string DexHeader(std::size_t string_count) {
  std::string out(0x70, '\0');
  out.replace(0, 8, std::string("dex\n035\0", 8));
  PutU32(out, 0x24, 0x70);        // header_size
  PutU32(out, 0x28, 0x12345678);  // endian_tag
  PutU32(out, 0x38, static_cast<std::uint32_t>(string_count));
  PutU32(out, 0x3C, 0x70);
  return out;
}

}  // namespace

std::string BuildDex(const std::vector<std::string>& strings) {
  std::string out = DexHeader(strings.size());
  std::string data;
  const auto offsets = AppendDexStringData(data, 0x70 + 4 * strings.size(), strings);
  for (auto o : offsets) AppendU32(out, o);
  out += data;
  PutU32(out, 0x20, static_cast<std::uint32_t>(out.size()));  // file_size
  return out;
}

std::string BuildDexWithConstants(const std::string& descriptor,
                                  const std::vector<DexConstant>& constants,
                                  const std::vector<std::string>& extra) {
  // Strings: the class descriptor, the field names, the string values, then `extra`.
  std::vector<std::string> strings{descriptor};
  for (const auto& c : constants) strings.push_back(c.name);
  std::vector<std::uint32_t> value_idx(constants.size(), 0);
  for (std::size_t i = 0; i < constants.size(); ++i) {
    if (constants[i].is_int) continue;
    value_idx[i] = static_cast<std::uint32_t>(strings.size());
    strings.push_back(constants[i].value);
  }
  strings.insert(strings.end(), extra.begin(), extra.end());

  const std::size_t n = constants.size();
  const std::size_t type_ids = 0x70 + 4 * strings.size();
  const std::size_t field_ids = type_ids + 4;
  const std::size_t class_defs = field_ids + 8 * n;
  const std::size_t data_start = class_defs + 32;
  std::string out = DexHeader(strings.size());
  std::string data;
  const auto offsets = AppendDexStringData(data, data_start, strings);
  for (auto o : offsets) AppendU32(out, o);
  AppendU32(out, 0);  // type_ids[0].descriptor_idx: string 0
  for (std::size_t i = 0; i < n; ++i) {
    AppendU16(out, 0);                                  // class_idx
    AppendU16(out, 0);                                  // type_idx (unused here)
    AppendU32(out, static_cast<std::uint32_t>(1 + i));  // name_idx
  }
  const std::size_t class_data = data_start + data.size();
  AppendUleb128(data, static_cast<std::uint32_t>(n));  // static_fields_size
  for (int i = 0; i < 3; ++i) AppendUleb128(data, 0);  // instance, direct, virtual
  for (std::size_t i = 0; i < n; ++i) {
    AppendUleb128(data, i == 0 ? 0 : 1);  // field_idx_diff
    AppendUleb128(data, 0x19);            // public static final
  }
  const std::size_t static_values = data_start + data.size();
  AppendUleb128(data, static_cast<std::uint32_t>(n));
  for (std::size_t i = 0; i < n; ++i) {
    if (constants[i].is_int) {
      AppendU8(data, (3 << 5) | 0x04);  // VALUE_INT, 4 bytes
      AppendU32(data, static_cast<std::uint32_t>(std::stoul(constants[i].value)));
    } else {
      AppendU8(data, (3 << 5) | 0x17);  // VALUE_STRING, 4-byte index
      AppendU32(data, value_idx[i]);
    }
  }
  AppendU32(out, 0);                              // class_defs[0]: class_idx
  for (int i = 0; i < 5; ++i) AppendU32(out, 0);  // flags, super, interfaces, source, annotations
  AppendU32(out, static_cast<std::uint32_t>(class_data));
  AppendU32(out, static_cast<std::uint32_t>(static_values));
  PutU32(out, 0x40, 1);  // type_ids_size
  PutU32(out, 0x44, static_cast<std::uint32_t>(type_ids));
  PutU32(out, 0x50, static_cast<std::uint32_t>(n));  // field_ids_size
  PutU32(out, 0x54, static_cast<std::uint32_t>(field_ids));
  PutU32(out, 0x60, 1);  // class_defs_size
  PutU32(out, 0x64, static_cast<std::uint32_t>(class_defs));
  out += data;
  PutU32(out, 0x20, static_cast<std::uint32_t>(out.size()));  // file_size
  return out;
}

std::string BuildAxml(const std::vector<AxmlNode>& nodes, bool utf8) {
  PoolIndex pool;
  std::string body;
  for (const AxmlNode& n : nodes) {
    const std::size_t start = body.size();
    AppendChunkHeader(body, n.end ? 0x0103 : 0x0102, 16);
    AppendU32(body, 1);           // lineNumber
    AppendU32(body, 0xFFFFFFFF);  // comment
    AppendU32(body, 0xFFFFFFFF);  // ns
    AppendU32(body, pool.Of(n.name));
    if (!n.end) {
      AppendU16(body, 20);  // attributeStart
      AppendU16(body, 20);  // attributeSize
      AppendU16(body, static_cast<std::uint32_t>(n.attributes.size()));
      AppendU16(body, 0);  // idIndex
      AppendU16(body, 0);  // classIndex
      AppendU16(body, 0);  // styleIndex
      for (const AxmlAttribute& a : n.attributes) {
        AppendU32(body, 0xFFFFFFFF);  // ns
        AppendU32(body, pool.Of(a.name));
        const std::uint32_t v = pool.Of(a.value);
        AppendU32(body, v);  // rawValue
        AppendResValueString(body, v);
      }
    }
    FinishChunk(body, start);
    if (!n.end && !n.text.empty()) {
      const std::size_t c = body.size();
      AppendChunkHeader(body, 0x0104, 16);
      AppendU32(body, 1);
      AppendU32(body, 0xFFFFFFFF);
      AppendU32(body, pool.Of(n.text));
      AppendResValueString(body, pool.Of(n.text));
      FinishChunk(body, c);
    }
  }
  std::string out;
  AppendChunkHeader(out, 0x0003, 8);
  out += BuildStringPool(pool.strings(), utf8);
  out += body;
  FinishChunk(out, 0);
  return out;
}

std::string BuildArsc(const std::vector<ArscValue>& values, const ArscOptions& options) {
  PoolIndex value_pool, type_pool, key_pool;
  std::map<std::string, std::vector<const ArscValue*>> by_type;
  std::vector<std::string> type_order;
  for (const ArscValue& v : values) {
    if (!by_type.count(v.type)) type_order.push_back(v.type);
    by_type[v.type].push_back(&v);
    for (const auto& s : v.values) value_pool.Of(s);
    key_pool.Of(v.key);
  }
  for (const auto& s : options.extra_values) value_pool.Of(s);
  for (const auto& t : type_order) type_pool.Of(t);

  std::string pkg;
  AppendChunkHeader(pkg, 0x0200, 288);
  AppendU32(pkg, 0x7F);
  pkg += std::string(256, '\0');  // char16 name[128]
  AppendU32(pkg, 0);              // typeStrings, patched below
  AppendU32(pkg, 0);              // lastPublicType
  AppendU32(pkg, 0);              // keyStrings, patched below
  AppendU32(pkg, 0);              // lastPublicKey
  AppendU32(pkg, 0);              // typeIdOffset
  PutU32(pkg, 268, static_cast<std::uint32_t>(pkg.size()));
  pkg += BuildStringPool(type_pool.strings(), false);  // aapt2 writes type names as UTF-16
  PutU32(pkg, 276, static_cast<std::uint32_t>(pkg.size()));
  pkg += BuildStringPool(key_pool.strings(), options.utf8_keys);
  for (std::size_t t = 0; t < type_order.size(); ++t) {
    const auto& entries = by_type[type_order[t]];
    const std::size_t start = pkg.size();
    const std::uint16_t header_size = 20 + 64;  // fixed part + a 64-byte ResTable_config
    AppendChunkHeader(pkg, 0x0201, header_size);
    AppendU8(pkg, static_cast<std::uint32_t>(t + 1));  // id
    AppendU8(pkg, options.offset16 ? 0x02 : 0x00);     // flags
    AppendU16(pkg, 0);
    AppendU32(pkg, static_cast<std::uint32_t>(entries.size()));
    const std::size_t entries_start_at = pkg.size();
    AppendU32(pkg, 0);  // entriesStart, patched below
    std::string config(64, '\0');
    config[0] = 64;
    pkg += config;
    std::string data;
    for (const ArscValue* v : entries) {
      const auto offset = static_cast<std::uint32_t>(data.size());
      if (options.offset16) {
        AppendU16(pkg, offset / 4);
      } else {
        AppendU32(pkg, offset);
      }
      const bool bag = v->values.size() != 1;
      AppendU16(data, bag ? 16 : 8);
      AppendU16(data, bag ? 0x0001 : 0);
      AppendU32(data, key_pool.Of(v->key));
      if (bag) {
        AppendU32(data, 0);  // parent
        AppendU32(data, static_cast<std::uint32_t>(v->values.size()));
        for (std::size_t k = 0; k < v->values.size(); ++k) {
          AppendU32(data, 0x02000000 + static_cast<std::uint32_t>(k));  // ^index_k
          AppendResValueString(data, value_pool.Of(v->values[k]));
        }
      } else {
        AppendResValueString(data, value_pool.Of(v->values[0]));
      }
    }
    Pad4(pkg);
    PutU32(pkg, entries_start_at, static_cast<std::uint32_t>(pkg.size() - start));
    pkg += data;
    FinishChunk(pkg, start);
  }
  FinishChunk(pkg, 0);

  std::string out;
  AppendChunkHeader(out, 0x0002, 12);
  AppendU32(out, 1);  // packageCount
  out += BuildStringPool(value_pool.strings(), options.utf8_values);
  out += pkg;
  FinishChunk(out, 0);
  return out;
}

}  // namespace leakproof::testing
