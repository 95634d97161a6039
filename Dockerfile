# leakproof container image (and the GitHub Action's image, see action.yml).
# Stage 1 builds with the same commands CI runs (scripts/install-deps.sh, cmake) and packs
# the .deb; stage 2 installs that .deb on bookworm-slim, so the runtime holds the binary and
# exactly the Debian runtime libraries its Depends name, plus the rule database compiled at
# image build time (a CI run never pays the cold Hyperscan compile).
#
#   docker build -t leakproof .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/src" leakproof scan --format sarif -o leakproof.sarif .

FROM debian:bookworm-slim AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN scripts/install-deps.sh && rm -rf /var/lib/apt/lists/*
COPY . .
# LEAKPROOF_TESTS=OFF: the image does not need the test suite (CI runs it separately).
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEAKPROOF_TESTS=OFF \
 && cmake --build /build --target leakproof \
 && cd /build && cpack -G DEB \
 && mv /build/leakproof_*.deb /leakproof.deb

FROM debian:bookworm-slim
COPY --from=build /leakproof.deb /tmp/leakproof.deb
COPY scripts/action-entry.sh /usr/local/bin/leakproof-action
# jq: the Action's entry script reads the report for the job summary.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends /tmp/leakproof.deb jq \
 && rm -rf /var/lib/apt/lists/* /tmp/leakproof.deb
# The default cache directory is $XDG_CACHE_HOME/leakproof: point it at the baked one, so it
# is used whatever HOME is (GitHub sets HOME=/github/home in container actions). Baked by
# scripts/bake-rule-cache.sh (tested by tests/install/bake_cache.sh), which drops the
# secret_hash key: each container makes its own per-run key (or set LEAKPROOF_HASH_KEY).
ENV XDG_CACHE_HOME=/var/cache
COPY scripts/bake-rule-cache.sh /tmp/bake-rule-cache.sh
RUN /tmp/bake-rule-cache.sh /var/cache && rm /tmp/bake-rule-cache.sh
# Non-root, uid 1001 = the GitHub-hosted runner's user, so the Action can write its report
# into the mounted workspace.
RUN useradd --uid 1001 --create-home --shell /usr/sbin/nologin leakproof
USER leakproof
WORKDIR /src
ENTRYPOINT ["leakproof"]
CMD ["--help"]
