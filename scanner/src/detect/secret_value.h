// ValueLooksSecret: given a credential-ish name, does the value look like the credential
// itself rather than a flag, a reference, a path, a UI string or a stand-in?
//
// Thresholds (docs/detection.md explains them):
//   password names: 4..128 bytes, no whitespace, a letter and a digit or symbol (other
//     than the identifier separators - _ .), not a word from the non-secret dictionary;
//   strong token names: 12+ bytes, a letter and a digit, entropy >= 3.0 bits/byte;
//   weak names ("key"): 20+ bytes, a letter and a digit, entropy >= 3.5 bits/byte.
// Always rejected: references (${X}, %(x)s, {{x}}, @x@, process.env...), URLs, file
// paths, dotted identifiers (this.password, com.example.Key), UUIDs under weak names.
#pragma once

#include "detect/secret_name.h"

#include <string_view>

namespace leakproof::scanner::detect {

bool ValueLooksSecret(std::string_view value, const NameVerdict& name);

}  // namespace leakproof::scanner::detect
