// Unit: ReadJsonFields (the session verifier's one-pass reader for JWT header and claim
// fields) agrees with looking the same fields up in a parsed nlohmann::json DOM, which is
// what the verifier did before, on ordinary, hostile and malformed inputs.
#include "server/json_fields.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace leakproof::proxy {
namespace {

constexpr std::string_view kNames[] = {"exp", "aud", "sub"};

// The same facts, read from a DOM.
std::vector<JsonField> FromDom(const nlohmann::json& doc) {
  std::vector<JsonField> out(std::size(kNames));
  for (size_t i = 0; i < std::size(kNames); ++i) {
    const std::string name(kNames[i]);
    if (!doc.contains(name)) continue;
    const auto& v = doc[name];
    JsonField& f = out[i];
    if (v.is_number()) {
      f.kind = JsonField::Kind::kNumber;
      f.number = v.get<double>();
    } else if (v.is_string()) {
      f.kind = JsonField::Kind::kString;
      f.string = v.get<std::string>();
    } else if (v.is_array()) {
      f.kind = JsonField::Kind::kArray;
      for (const auto& e : v) {
        if (e.is_string()) f.strings.push_back(e.get<std::string>());
      }
    } else {
      f.kind = JsonField::Kind::kOther;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("ReadJsonFields matches a DOM lookup", "[jwt]") {
  const std::vector<std::string> inputs = {
      R"({"sub":"u1","iss":"https://app.test","aud":["x","leakproof"],"exp":1800000060})",
      R"({})",
      R"({"exp":1.5e9,"aud":"leakproof","sub":"a\"b\\c\u00e9"})",
      R"({"exp":-5,"aud":[1,"a",null,["b"],{"c":"d"},"e"],"sub":{"exp":1}})",
      R"({"exp":"1800000000","aud":true,"sub":null})",
      R"({"exp":1,"exp":2,"aud":["a"],"aud":"b","sub":"x","sub":7})",  // last wins
      R"({"nested":{"exp":1,"aud":"no","sub":"no"},"list":[{"exp":2}]})",
      R"({"exp":18446744073709551615,"aud":[],"sub":""})",
      R"({"exp":123456789012345678901234567890})",
  };
  for (const auto& in : inputs) {
    INFO(in);
    std::vector<JsonField> got(std::size(kNames));
    REQUIRE(ReadJsonFields(in, kNames, got));
    const auto want = FromDom(nlohmann::json::parse(in));
    for (size_t i = 0; i < got.size(); ++i) {
      INFO(kNames[i]);
      CHECK(got[i].kind == want[i].kind);
      CHECK(got[i].number == want[i].number);
      CHECK(got[i].string == want[i].string);
      CHECK(got[i].strings == want[i].strings);
    }
  }
}

TEST_CASE("ReadJsonFields rejects what is not exactly one JSON object", "[jwt]") {
  for (const std::string in :
       {"", "[]", "\"exp\"", "1", "null", "{", "{\"exp\":1", "{\"exp\":1}}", "{\"exp\":1} x",
        "{\"exp\":1}{\"exp\":2}", "{'exp':1}", "{\"exp\":01}", "{\"sub\":\"\xff\"}", "{\"exp\":1,}",
        "/*c*/{\"exp\":1}"}) {
    INFO(in);
    std::vector<JsonField> got(std::size(kNames));
    CHECK(!ReadJsonFields(in, kNames, got));
    CHECK(nlohmann::json::parse(in, nullptr, false).is_object() == false);
  }
}

}  // namespace leakproof::proxy
