// TEST ONLY: maps provider base URLs to a loopback fake provider and trusts its CA, so the
// test suite can exercise --verify without ever contacting a real provider.
//
// Armed only by the environment variable LEAKPROOF_VERIFY_TEST_OVERRIDES naming a JSON
// file that says so itself:
//   {"leakproof_test_only": true, "ca_file": "/tmp/x/ca.pem",
//    "base_urls": {"https://api.stripe.com": "https://localhost:4431/stripe"}}
// Every target must be https on localhost/127.0.0.1, so the file can never send a key to
// another machine; a run with it armed says so on stderr. docs/verify.md, "Testing".
#pragma once

#include "leakproof/scanner/status.h"

#include <map>
#include <string>

namespace leakproof::proxy::verify {

struct TestOverrides {
  bool active = false;
  std::string ca_file;
  std::map<std::string, std::string> base_urls;  // rule pack base_url -> loopback URL
};

// Reads LEAKPROOF_VERIFY_TEST_OVERRIDES; not set: inactive. A bad file is an error.
scanner::Result<TestOverrides> LoadTestOverrides();

}  // namespace leakproof::proxy::verify
