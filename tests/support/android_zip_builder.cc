// In-memory zip writer for tests, see android_zip_builder.h. libzip writes into a
// buffer source that we keep alive past zip_close and then read back.
#include "support/android_zip_builder.h"

#include <zip.h>

namespace leakproof::testing {

std::string BuildZip(const std::vector<ZipMember>& members) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (out == nullptr) return {};
  zip_source_keep(out);
  zip_t* za = zip_open_from_source(out, ZIP_TRUNCATE, &error);
  zip_error_fini(&error);
  if (za == nullptr) {
    zip_source_free(out);
    return {};
  }
  for (const ZipMember& m : members) {
    zip_source_t* src = zip_source_buffer(za, m.data.data(), m.data.size(), 0);
    const zip_int64_t idx = zip_file_add(za, m.name.c_str(), src, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
      zip_source_free(src);
      continue;
    }
    const auto u = static_cast<zip_uint64_t>(idx);
    zip_set_file_compression(za, u, m.store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
    if (!m.password.empty()) zip_file_set_encryption(za, u, ZIP_EM_AES_256, m.password.c_str());
  }
  std::string bytes;
  if (zip_close(za) != 0) {
    zip_discard(za);
  } else if (zip_source_open(out) == 0) {
    char buf[65536];
    zip_int64_t n;
    while ((n = zip_source_read(out, buf, sizeof buf)) > 0) {
      bytes.append(buf, static_cast<std::size_t>(n));
    }
    zip_source_close(out);
  }
  zip_source_free(out);
  return bytes;
}

}  // namespace leakproof::testing
