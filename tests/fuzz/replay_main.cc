// Replays fuzz inputs without libFuzzer: every file under the directories (or files)
// given on the command line is passed to LLVMFuzzerTestOneInput once. Used by ctest so
// the committed corpus and every past crasher run on each build, sanitizers included.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

int RunFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", p.c_str());
    return 1;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int files = 0;
  int failures = 0;
  for (int i = 1; i < argc; ++i) {
    std::filesystem::path root(argv[i]);
    std::error_code ec;
    if (std::filesystem::is_regular_file(root, ec)) {
      failures += RunFile(root);
      ++files;
      continue;
    }
    if (!std::filesystem::is_directory(root, ec)) continue;  // no corpus yet for this one
    for (const auto& e : std::filesystem::recursive_directory_iterator(root, ec)) {
      if (!e.is_regular_file()) continue;
      failures += RunFile(e.path());
      ++files;
    }
  }
  // An empty input also exercises the parser's shortest path.
  LLVMFuzzerTestOneInput(nullptr, 0);
  std::printf("replayed %d inputs, %d unreadable\n", files, failures);
  return failures == 0 ? 0 : 1;
}
