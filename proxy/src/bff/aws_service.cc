// AwsEndpointOfHost (aws_service.h): endpoint host -> SigV4 service and region.
#include "bff/aws_service.h"

#include <map>
#include <regex>

namespace leakproof::proxy::bff {

std::optional<AwsEndpoint> AwsEndpointOfHost(std::string_view host) {
  // Endpoint prefixes whose signing name differs (the SDKs' endpoint metadata).
  static const std::map<std::string, std::string> kSigningName = {
      {"bedrock-runtime", "bedrock"},
      {"bedrock-agent-runtime", "bedrock"},
      {"runtime.sagemaker", "sagemaker"},
      {"email", "ses"},
      {"runtime.lex", "lex"},
      {"data.iot", "iotdata"},
      {"streams.dynamodb", "dynamodb"},
  };
  // [<id>.]<service>[.<region>].amazonaws.com; the region is like "us-east-1", "us-gov-west-1".
  static const std::regex kRegional(
      R"re(^(?:[a-z0-9-]+\.)?((?:runtime\.|data\.|streams\.)?[a-z0-9-]+)\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com$)re");
  static const std::regex kGlobal(R"re(^([a-z0-9-]+)\.amazonaws\.com$)re");
  // S3's legacy global endpoint, virtual-hosted: "<bucket>.s3.amazonaws.com".
  static const std::regex kS3Global(R"re(^(?:[a-z0-9.-]+\.)?s3\.amazonaws\.com$)re");
  const std::string h(host);
  std::smatch m;
  AwsEndpoint out;
  if (std::regex_match(h, kS3Global)) {
    out.service = "s3";
    out.region = "us-east-1";
  } else if (std::regex_match(h, m, kRegional)) {
    out.service = m[1].str();
    out.region = m[2].str();
  } else if (std::regex_match(h, m, kGlobal)) {
    out.service = m[1].str();
    out.region = "us-east-1";
  } else {
    return std::nullopt;
  }
  // "<id>.execute-api.<region>" matched with the id as the optional prefix; "s3" bucket hosts
  // ("<bucket>.s3.<region>") likewise. A dotted prefix that is not a known one is not a service.
  if (auto it = kSigningName.find(out.service); it != kSigningName.end()) out.service = it->second;
  if (out.service.find('.') != std::string::npos) return std::nullopt;
  return out;
}

}  // namespace leakproof::proxy::bff
