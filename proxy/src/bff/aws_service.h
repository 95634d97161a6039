// Which AWS service and region an endpoint host belongs to, for SigV4 routes: the stubs sign
// each request for exactly the one service the app was seen to call.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leakproof::proxy::bff {

struct AwsEndpoint {
  std::string service;  // the SigV4 signing name: "dynamodb", "bedrock", "execute-api"
  std::string region;   // "us-east-1"
};

// "dynamodb.eu-west-1.amazonaws.com" -> {dynamodb, eu-west-1};
// "bedrock-runtime.us-east-1.amazonaws.com" -> {bedrock, us-east-1};
// "abc123.execute-api.us-east-1.amazonaws.com" -> {execute-api, us-east-1};
// "sts.amazonaws.com" -> {sts, us-east-1} (global endpoints sign for us-east-1).
// nullopt for anything else (a custom domain, a bucket website, a non-AWS host).
std::optional<AwsEndpoint> AwsEndpointOfHost(std::string_view host);

}  // namespace leakproof::proxy::bff
