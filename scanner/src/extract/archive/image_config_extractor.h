// ImageConfigExtractor: the config JSON of a container image (docker save, OCI layout).
//
// `ENV KEY=value` in a Dockerfile bakes the value into the image config, where every
// `docker pull` hands it out: a classic leak. The config is found by content (a JSON
// object with "rootfs" and "diff_ids", whatever its file is called: sha256:<hex> in an
// image tar, blobs/sha256/<hex> in an OCI layout directory). Each environment variable
// becomes a segment "NAME = value" labelled "ENV NAME", and each history step's
// `created_by` (where ARG values and inline secrets in RUN lines end up) a segment
// labelled "history". The raw JSON is still scanned; a key found here is reported here.
#pragma once

#include "extract/extractor.h"

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leakproof::scanner {

// The labelled strings of an image config: ("ENV NAME", "NAME = value"), ("history",
// created_by). False when `json` is not an image config.
bool ReadImageConfig(std::string_view json,
                     std::vector<std::pair<std::string, std::string>>& labelled);

std::unique_ptr<Extractor> NewImageConfigExtractor();

}  // namespace leakproof::scanner
