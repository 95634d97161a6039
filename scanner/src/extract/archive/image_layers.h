// Container image tars (`docker save`, `podman save`): which members are layers, in
// which order, and which files a later layer deleted.
//
// manifest.json lists each image's "Layers" bottom to top ("blobs/sha256/<hex>" in the
// OCI layout Docker 25+ writes, "<id>/layer.tar" before). A layer deletes a lower
// layer's file with a whiteout entry ".wh.<name>" beside it, or everything below a
// directory with ".wh..wh..opq" (OCI image spec, "Whiteouts"). Deleted files are
// still in the image (anyone who pulls it has them), so they are scanned and marked as
// present only in the history.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace leakproof::scanner {

// Member paths of the layers of the first image in manifest.json, bottom first, with
// "./" dropped; empty when `manifest_json` is not a docker save manifest.
std::vector<std::string> ManifestLayers(std::string_view manifest_json);

// A tar path without leading "./" (and "/").
std::string_view NormalTarPath(std::string_view path);

// Paths deleted by the layers above the one being read.
class Whiteouts {
 public:
  // Records `path` if it is a whiteout entry; true when it is one (not a real file).
  bool Record(std::string_view path);
  // Makes what the last layer recorded apply to the layers read after it (below it).
  void EndLayer();
  // True when a layer above deleted `path` or a directory holding it.
  bool Deleted(std::string_view path) const;

 private:
  std::set<std::string, std::less<>> deleted_;  // files or directories
  std::set<std::string, std::less<>> opaque_;   // directories emptied below
  std::vector<std::string> pending_deleted_;
  std::vector<std::string> pending_opaque_;
};

}  // namespace leakproof::scanner
