#!/usr/bin/env bash
# Installs every Debian package leakproof needs to build, test and benchmark.
# Idempotent: apt-get skips what is already installed. Must run as root.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (apt-get)" >&2
  exit 2
fi

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache clang clang-format libclang-rt-14-dev
  # scanner engine
  libhyperscan-dev libre2-dev libzip-dev liblz4-dev libdeflate-dev
  libarchive-dev libbrotli-dev
  # cli, rules, json, tests
  libcli11-dev nlohmann-json3-dev libsimdjson-dev libtomlplusplus-dev catch2
  # proxy and bff generator
  libboost1.81-dev libssl-dev libkainjow-mustache-dev
  # tests that drive the binary and generated stubs
  python3 unzip zip
  # --verify tests: the fake provider makes its test CA with the openssl CLI
  openssl
  # hostile-input tests: RSS and time of a run (GNU time), a run without root (setpriv)
  time util-linux
  # completion tests: the shells the generated scripts are for
  zsh fish
  # the GitHub Action entry script (job summary from the report) and its test
  jq
  # man page from the CLI help; .deb dependencies (cpack runs dpkg-shlibdeps, file)
  help2man dpkg-dev file
  # sample builder and archive tests: real compressors and packagers
  gzip brotli zstd xz-utils bzip2 lz4 dpkg libarchive-tools cpio gcab
  # git history scans (libgit2) and the pre-commit hook test with the real tool
  libgit2-dev git pre-commit
  # proxy replicas sharing rate-limit budgets, and the test that runs a real Redis
  libhiredis-dev redis-server
  # the HTML report's headless-browser test; promtool checks the example alert rules
  chromium prometheus
  # deploy/k8s manifest checks (tests/proxy/k8s_proxy_manifests.sh) parse the YAML
  python3-yaml
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# Node.js (with npm) may come from another repository; only add Debian's when none is there.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "install-deps: all ${#packages[@]} packages present"
