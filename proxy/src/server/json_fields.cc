// SAX reader for named top-level JSON fields (see json_fields.h).
#include "json_fields.h"

#include <nlohmann/json.hpp>

#include <cstddef>

namespace leakproof::proxy {
namespace {

using Json = nlohmann::json;

class FieldReader {
 public:
  FieldReader(std::span<const std::string_view> names, std::span<JsonField> out)
      : names_(names), out_(out) {}

  // depth_: 0 before the top-level object, 1 inside it, 2 inside one of its values, ...
  bool start_object(std::size_t) {
    if (depth_ == 0) {
      is_object_ = true;
    } else {
      Set(JsonField::Kind::kOther);
    }
    ++depth_;
    return true;
  }
  bool end_object() {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) {
    if (depth_ == 0) return false;  // not an object: stop, the caller rejects it
    if (depth_ == 1 && current_ != nullptr) {
      *current_ = JsonField{};
      current_->kind = JsonField::Kind::kArray;
      collecting_ = true;
    }
    ++depth_;
    return true;
  }
  bool end_array() {
    if (--depth_ == 1) collecting_ = false;
    return true;
  }
  bool key(Json::string_t& k) {
    if (depth_ != 1) return true;
    current_ = nullptr;
    for (size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == k) current_ = &out_[i];
    }
    return true;
  }
  bool string(Json::string_t& s) {
    if (depth_ == 0) return false;
    if (depth_ == 1 && current_ != nullptr) {
      *current_ = JsonField{};
      current_->kind = JsonField::Kind::kString;
      current_->string = std::move(s);
    } else if (depth_ == 2 && collecting_) {
      current_->strings.push_back(std::move(s));
    }
    return true;
  }
  bool number_integer(Json::number_integer_t v) { return Number(static_cast<double>(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return Number(static_cast<double>(v)); }
  bool number_float(Json::number_float_t v, const Json::string_t&) {
    return Number(static_cast<double>(v));
  }
  bool boolean(bool) { return Scalar(); }
  bool null() { return Scalar(); }
  bool binary(Json::binary_t&) { return Scalar(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }

  bool is_object() const { return is_object_; }

 private:
  // A value other than a string or number directly under a wanted key.
  void Set(JsonField::Kind kind) {
    if (depth_ == 1 && current_ != nullptr) {
      *current_ = JsonField{};
      current_->kind = kind;
    }
  }
  bool Scalar() {
    if (depth_ == 0) return false;
    Set(JsonField::Kind::kOther);
    return true;
  }
  bool Number(double v) {
    if (depth_ == 0) return false;
    Set(JsonField::Kind::kNumber);
    if (depth_ == 1 && current_ != nullptr) current_->number = v;
    return true;
  }

  std::span<const std::string_view> names_;
  std::span<JsonField> out_;
  JsonField* current_ = nullptr;  // the wanted field whose value comes next (depth 1)
  int depth_ = 0;
  bool is_object_ = false;
  bool collecting_ = false;  // inside the array value of a wanted field
};

}  // namespace

bool ReadJsonFields(std::string_view json, std::span<const std::string_view> names,
                    std::span<JsonField> out) {
  for (auto& f : out) f = JsonField{};
  FieldReader reader(names, out);
  const bool ok = Json::sax_parse(json.begin(), json.end(), &reader, Json::input_format_t::json,
                                  /*strict=*/true);
  return ok && reader.is_object();
}

}  // namespace leakproof::proxy
