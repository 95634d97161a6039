#include "extract/android/dex_crypto_flow.h"

#include "extract/text/decode_base64.h"
#include "extract/verdict_segments.h"

#include <set>
#include <tuple>
#include <unordered_map>

namespace leakproof::scanner {
namespace {

constexpr std::uint64_t kProtoIdsOffOff = 0x4C;
constexpr std::uint64_t kMethodIdsSizeOff = 0x58;
constexpr std::uint64_t kMethodIdsOffOff = 0x5C;
constexpr std::size_t kMaxConstantBytes = 4096;

enum class Callee {
  kOther,
  kGetBytes,           // String.getBytes(...)            result: the string's bytes
  kToCharArray,        // String.toCharArray()            result: the string's chars
  kAndroidBase64,      // android.util.Base64.decode(x, flags), x at arg 0
  kJavaBase64,         // java.util.Base64$Decoder.decode(x), x at arg 1
  kSecretKeySpec,      // SecretKeySpec(byte[] key, String alg)
  kSecretKeySpecPart,  // SecretKeySpec(byte[] key, int off, int len, String alg)
  kIvSpec,             // IvParameterSpec(byte[] iv[, off, len])
  kGcmSpec,            // GCMParameterSpec(int tagBits, byte[] iv[, off, len])
  kPbeKeySpec,         // PBEKeySpec(char[] password, ...)
};

struct Value {
  enum Kind { kUnknown, kString, kBytes, kChars, kInt, kNewArray } kind = kUnknown;
  std::string data;         // string (UTF-8), bytes, or chars as UTF-8
  std::int64_t n = 0;       // kInt value
  std::uint32_t array = 0;  // identity of a tracked array (aliases share it)
};

class MethodIds {
 public:
  MethodIds(const AndroidByteReader& r, const StringTable& s) : r_(r), s_(s) {
    count_ = r.U32(kMethodIdsSizeOff).value_or(0);
    off_ = r.U32(kMethodIdsOffOff).value_or(0);
    proto_off_ = r.U32(kProtoIdsOffOff).value_or(0);
  }

  Callee Classify(std::uint32_t idx) {
    auto [it, fresh] = cache_.try_emplace(idx, Callee::kOther);
    if (fresh) it->second = Compute(idx);
    return it->second;
  }

  // "com/x/Crypto.encrypt()" for the method being analysed.
  std::string Label(std::uint32_t idx) const {
    const std::uint64_t at = off_ + 8ull * idx;
    if (idx >= count_ || !r_.Has(at, 8)) return "?";
    std::string cls = s_.TypeDescriptor(*r_.U16(at));
    if (cls.size() >= 2 && cls.front() == 'L' && cls.back() == ';')
      cls = cls.substr(1, cls.size() - 2);
    return cls + "." + s_.At(*r_.U32(at + 4), 128) + "()";
  }

 private:
  Callee Compute(std::uint32_t idx) const {
    const std::uint64_t at = off_ + 8ull * idx;
    if (idx >= count_ || !r_.Has(at, 8)) return Callee::kOther;
    const std::string cls = s_.TypeDescriptor(*r_.U16(at));
    static const std::set<std::string> kClasses = {"Ljava/lang/String;",
                                                   "Landroid/util/Base64;",
                                                   "Ljava/util/Base64$Decoder;",
                                                   "Ljavax/crypto/spec/SecretKeySpec;",
                                                   "Ljavax/crypto/spec/IvParameterSpec;",
                                                   "Ljavax/crypto/spec/GCMParameterSpec;",
                                                   "Ljavax/crypto/spec/PBEKeySpec;"};
    if (kClasses.count(cls) == 0) return Callee::kOther;
    const std::string name = s_.At(*r_.U32(at + 4), 64);
    const std::string params = Params(*r_.U16(at + 2));
    if (cls == "Ljava/lang/String;") {
      if (name == "getBytes") return Callee::kGetBytes;
      if (name == "toCharArray") return Callee::kToCharArray;
      return Callee::kOther;
    }
    if (name == "decode") {
      return cls == "Landroid/util/Base64;" ? Callee::kAndroidBase64 : Callee::kJavaBase64;
    }
    if (name != "<init>") return Callee::kOther;
    if (cls == "Ljavax/crypto/spec/SecretKeySpec;") {
      if (params == "[BLjava/lang/String;") return Callee::kSecretKeySpec;
      if (params == "[BIILjava/lang/String;") return Callee::kSecretKeySpecPart;
      return Callee::kOther;
    }
    if (cls == "Ljavax/crypto/spec/IvParameterSpec;") return Callee::kIvSpec;
    if (cls == "Ljavax/crypto/spec/GCMParameterSpec;") return Callee::kGcmSpec;
    if (cls == "Ljavax/crypto/spec/PBEKeySpec;" && params.rfind("[C", 0) == 0) {
      return Callee::kPbeKeySpec;
    }
    return Callee::kOther;
  }

  // The parameter descriptors of proto `proto_idx`, concatenated ("[BLjava/lang/String;").
  std::string Params(std::uint32_t proto_idx) const {
    const std::uint64_t at = proto_off_ + 12ull * proto_idx;
    auto list = r_.U32(at + 8);
    if (!list || *list == 0) return {};
    auto size = r_.U32(*list);
    std::string out;
    for (std::uint32_t i = 0; size && i < *size && i < 16; ++i) {
      auto t = r_.U16(*list + 4 + 2ull * i);
      if (!t) break;
      out += s_.TypeDescriptor(*t);
    }
    return out;
  }

  const AndroidByteReader& r_;
  const StringTable& s_;
  std::uint32_t count_ = 0;
  std::uint64_t off_ = 0;
  std::uint64_t proto_off_ = 0;
  std::unordered_map<std::uint32_t, Callee> cache_;
};

std::string Printable(const std::string& bytes) {
  bool text = !bytes.empty();
  for (unsigned char c : bytes) text = text && c >= 0x20 && c < 0x7F;
  if (text) return bytes;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "0x";
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

// Static fields whose value some method stores as a constant (a `static final byte[]`
// initialised in <clinit>); a field stored with two different constants is dropped.
struct StoredStatics {
  std::unordered_map<std::uint32_t, Value> by_field;
  std::set<std::uint32_t> conflicting;
  void Store(std::uint32_t field, const Value& v) {
    if (conflicting.count(field) != 0) return;
    auto [it, fresh] = by_field.try_emplace(field, v);
    if (!fresh && (it->second.kind != v.kind || it->second.data != v.data)) {
      by_field.erase(it);
      conflicting.insert(field);
    }
  }
};

class MethodFlow {
 public:
  MethodFlow(const AndroidByteReader& r, const StringTable& s, const StaticStringFields& statics,
             MethodIds& methods, StoredStatics& stored, bool record_stores)
      : r_(r),
        s_(s),
        statics_(statics),
        methods_(methods),
        stored_(stored),
        record_stores_(record_stores) {}

  void Run(const DexCode& code, std::vector<CryptoConstant>* out) {
    regs_.assign(code.registers, Value{});
    pending_ = Value{};
    std::uint32_t pc = 0;
    while (pc < code.insns_units) {
      const std::uint32_t width = DexInsnWidth(r_, code, pc);
      if (width == 0) break;
      Step(code, pc, out);
      pc += width;
    }
  }

 private:
  Value* Reg(std::uint32_t i) { return i < regs_.size() ? &regs_[i] : nullptr; }
  void Set(std::uint32_t i, Value v) {
    if (Value* r = Reg(i)) *r = std::move(v);
  }
  Value Get(std::uint32_t i) const { return i < regs_.size() ? regs_[i] : Value{}; }
  // A method the flow does not model may write into an array it is given.
  void ForgetArray(const Value& v) {
    if (v.array == 0) return;
    for (Value& r : regs_) {
      if (r.array == v.array) r = Value{};
    }
  }

  std::string StringAt(std::uint32_t idx) const {
    std::string out;
    if (!s_.Decode(idx, kMaxConstantBytes, out) || out.size() > kMaxConstantBytes) return {};
    return out;
  }

  Value FieldValue(std::uint32_t field) const {
    auto it = statics_.string_by_field.find(field);
    if (it != statics_.string_by_field.end()) {
      Value v;
      v.data = StringAt(it->second);
      if (!v.data.empty()) v.kind = Value::kString;
      return v;
    }
    auto st = stored_.by_field.find(field);
    return st != stored_.by_field.end() ? st->second : Value{};
  }

  void Step(const DexCode& code, std::uint32_t pc, std::vector<CryptoConstant>* out) {
    const std::uint16_t u = DexUnit(r_, code, pc);
    const std::uint8_t op = u & 0xFF;
    const std::uint32_t aa = u >> 8;
    const std::uint32_t a4 = (u >> 8) & 0xF;
    const std::uint32_t b4 = u >> 12;
    const std::uint16_t u1 = DexUnit(r_, code, pc + 1);
    const std::uint16_t u2 = DexUnit(r_, code, pc + 2);
    Value result = std::move(pending_);
    pending_ = Value{};
    switch (op) {
      case 0x01:
      case 0x07:  // move, move-object
        Set(a4, Get(b4));
        return;
      case 0x02:
      case 0x08:  // move/from16, move-object/from16
        Set(aa, Get(u1));
        return;
      case 0x03:
      case 0x09:  // move/16, move-object/16
        Set(u1, Get(u2));
        return;
      case 0x0a:
      case 0x0c:  // move-result, move-result-object
        Set(aa, std::move(result));
        return;
      case 0x12: {  // const/4 vA, #+B (signed)
        Value v;
        v.kind = Value::kInt;
        v.n = static_cast<std::int8_t>(static_cast<std::uint8_t>(b4 << 4)) >> 4;
        Set(a4, v);
        return;
      }
      case 0x13: {  // const/16
        Value v;
        v.kind = Value::kInt;
        v.n = static_cast<std::int16_t>(u1);
        Set(aa, v);
        return;
      }
      case 0x14: {  // const
        Value v;
        v.kind = Value::kInt;
        v.n = static_cast<std::int32_t>(u1 | (static_cast<std::uint32_t>(u2) << 16));
        Set(aa, v);
        return;
      }
      case 0x1a:
      case 0x1b: {  // const-string, const-string/jumbo
        const std::uint32_t idx = op == 0x1a ? u1 : (u1 | (static_cast<std::uint32_t>(u2) << 16));
        Value v;
        v.data = StringAt(idx);
        if (!v.data.empty()) v.kind = Value::kString;
        Set(aa, std::move(v));
        return;
      }
      case 0x23: {  // new-array vA, vB, type@CCCC
        const Value size = Get(b4);
        Value v;
        if (size.kind == Value::kInt && size.n > 0 &&
            size.n <= static_cast<std::int64_t>(kMaxTrackedArray) &&
            s_.TypeDescriptor(u1) == "[B") {
          v.kind = Value::kNewArray;
          v.data.assign(static_cast<std::size_t>(size.n), '\0');
          v.array = ++next_array_;
        }
        Set(a4, std::move(v));
        return;
      }
      case 0x26:  // fill-array-data vAA, +BBBBBBBB
        FillArray(code, pc, aa,
                  static_cast<std::int32_t>(u1 | (static_cast<std::uint32_t>(u2) << 16)));
        return;
      case 0x4f: {  // aput-byte vAA, vBB(array), vCC(index)
        Value* arr = Reg(u1 & 0xFF);
        const Value idx = Get(u1 >> 8);
        const Value val = Get(aa);
        if (arr && (arr->kind == Value::kNewArray || arr->kind == Value::kBytes) &&
            idx.kind == Value::kInt && val.kind == Value::kInt && idx.n >= 0 &&
            idx.n < static_cast<std::int64_t>(arr->data.size())) {
          arr->data[static_cast<std::size_t>(idx.n)] = static_cast<char>(val.n);
          arr->kind = Value::kBytes;
        } else if (arr) {
          *arr = Value{};
        }
        return;
      }
      case 0x62:  // sget-object vAA, field@BBBB
        Set(aa, FieldValue(u1));
        return;
      case 0x69: {  // sput-object vAA, field@BBBB
        const Value v = Get(aa);
        if (record_stores_ && (v.kind == Value::kString || v.kind == Value::kBytes)) {
          stored_.Store(u1, v);
        }
        return;
      }
      default:
        break;
    }
    if ((op >= 0x6e && op <= 0x72) || (op >= 0x74 && op <= 0x78)) {
      std::vector<std::uint32_t> args;
      if (op <= 0x72) {  // 35c: A|G|op BBBB F|E|D|C
        const std::uint32_t n = std::min<std::uint32_t>(b4, 5);
        const std::uint32_t regs[5] = {u2 & 0xFu, (u2 >> 4) & 0xFu, (u2 >> 8) & 0xFu,
                                       static_cast<std::uint32_t>(u2) >> 12, a4};
        args.assign(regs, regs + n);
      } else {  // 3rc: AA|op BBBB CCCC
        for (std::uint32_t i = 0; i < aa; ++i) args.push_back(u2 + i);
      }
      Invoke(methods_.Classify(u1), args, code, out);
      return;
    }
    // Anything else: whatever it writes (vA or vAA, and the pair of a wide value) is
    // unknown from here on.
    for (std::uint32_t r : {a4, aa, aa + 1}) Set(r, Value{});
  }

  void FillArray(const DexCode& code, std::uint32_t pc, std::uint32_t reg, std::int32_t off) {
    Value* arr = Reg(reg);
    if (arr == nullptr) return;
    const std::int64_t at = static_cast<std::int64_t>(pc) + off;
    if (arr->kind != Value::kNewArray && arr->kind != Value::kBytes) return;
    if (at < 0 || at >= static_cast<std::int64_t>(code.insns_units) ||
        DexUnit(r_, code, static_cast<std::uint32_t>(at)) != 0x0300 ||
        DexUnit(r_, code, static_cast<std::uint32_t>(at) + 1) != 1) {
      *arr = Value{};
      return;
    }
    const std::uint32_t p = static_cast<std::uint32_t>(at);
    const std::uint32_t count =
        DexUnit(r_, code, p + 2) | (static_cast<std::uint32_t>(DexUnit(r_, code, p + 3)) << 16);
    auto bytes = r_.Bytes(code.insns_off + 2ull * p + 8, count);
    if (count != arr->data.size() || !bytes || 4ull + (count + 1) / 2 > code.insns_units - p) {
      *arr = Value{};
      return;
    }
    arr->data.assign(bytes->data(), bytes->size());
    arr->kind = Value::kBytes;
  }

  void Invoke(Callee callee, const std::vector<std::uint32_t>& args, const DexCode& code,
              std::vector<CryptoConstant>* out) {
    auto arg = [&](std::size_t i) { return i < args.size() ? Get(args[i]) : Value{}; };
    auto report = [&](std::string_view verdict, const Value& v, const std::string& what) {
      if (out == nullptr) return;
      if (!(v.kind == Value::kBytes || v.kind == Value::kString || v.kind == Value::kChars)) return;
      if (v.data.empty()) return;
      out->push_back({verdict, Printable(v.data), methods_.Label(code.method_idx) + " " + what});
    };
    switch (callee) {
      case Callee::kGetBytes:
      case Callee::kToCharArray: {
        const Value s = arg(0);
        if (s.kind == Value::kString) {
          pending_ = s;
          pending_.kind = callee == Callee::kGetBytes ? Value::kBytes : Value::kChars;
        }
        return;
      }
      case Callee::kAndroidBase64:
      case Callee::kJavaBase64: {
        const Value in = arg(callee == Callee::kAndroidBase64 ? 0 : 1);
        std::string decoded;
        if ((in.kind == Value::kString || in.kind == Value::kBytes) &&
            decode::Base64Decode(in.data, decoded) && !decoded.empty()) {
          pending_.kind = Value::kBytes;
          pending_.data = std::move(decoded);
        }
        return;
      }
      case Callee::kSecretKeySpec:
      case Callee::kSecretKeySpecPart: {
        const Value alg = arg(callee == Callee::kSecretKeySpec ? 2 : 4);
        report(kVerdictHardcodedKey, arg(1),
               "SecretKeySpec" +
                   (alg.kind == Value::kString ? "(" + alg.data.substr(0, 64) + ")" : ""));
        return;
      }
      case Callee::kIvSpec:
        report(kVerdictHardcodedIv, arg(1), "IvParameterSpec");
        return;
      case Callee::kGcmSpec:
        report(kVerdictHardcodedIv, arg(2), "GCMParameterSpec");
        return;
      case Callee::kPbeKeySpec:
        report(kVerdictHardcodedPassword, arg(1), "PBEKeySpec");
        return;
      case Callee::kOther:
        for (std::size_t i = 0; i < args.size(); ++i) ForgetArray(arg(i));
        return;
    }
  }

  const AndroidByteReader& r_;
  const StringTable& s_;
  const StaticStringFields& statics_;
  MethodIds& methods_;
  StoredStatics& stored_;
  bool record_stores_;
  std::vector<Value> regs_;
  Value pending_;
  std::uint32_t next_array_ = 0;
};

}  // namespace

CryptoFlow FindCryptoConstants(const AndroidByteReader& r, const StringTable& strings,
                               const StaticStringFields& statics) {
  CryptoFlow flow;
  MethodIds methods(r, strings);
  StoredStatics stored;
  // Every instruction is visited twice (stores, then sinks); more units than the file
  // holds means class data points at the same code again and again.
  const std::uint64_t max_units = r.size();
  // Pass 1: constants that methods (in practice <clinit>) store into static fields.
  MethodFlow stores(r, strings, statics, methods, stored, true);
  flow.walk = ForEachMethodCode(r, max_units, [&](const DexCode& c) { stores.Run(c, nullptr); });
  // Pass 2: constants that reach a crypto API.
  MethodFlow sinks(r, strings, statics, methods, stored, false);
  std::vector<CryptoConstant> all;
  ForEachMethodCode(r, max_units, [&](const DexCode& c) { sinks.Run(c, &all); });
  std::set<std::tuple<std::string_view, std::string, std::string>> seen;
  for (CryptoConstant& c : all) {
    if (seen.emplace(c.verdict, c.value, c.where).second) flow.found.push_back(std::move(c));
  }
  return flow;
}

}  // namespace leakproof::scanner
