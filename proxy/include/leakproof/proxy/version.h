// Version string of the BFF side (stub generator and proxy).
#pragma once

namespace leakproof::proxy {

const char* Version();

}  // namespace leakproof::proxy
