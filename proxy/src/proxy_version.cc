// Keeps leakproof_proxy a non-empty library while its parts land one by one.
#include "leakproof/proxy/version.h"

namespace leakproof::proxy {

const char* Version() { return "0.1.0"; }

}  // namespace leakproof::proxy
