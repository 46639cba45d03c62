#!/usr/bin/env bash
# Builds Klaxon and runs every test suite, integration tests included.
#
# The integration tests start the built `klaxon` binary; KLAXON_BIN tells them where it is.
# Peers (promtool, prometheus, pushgateway, python3 + prometheus_client) are used when installed;
# with KLAXON_REQUIRE_PEERS=1 (as .ci/run sets) a missing peer fails the run instead of skipping.
# KLAXON_KEEP_PEER_FILES=1 keeps each peer's output and data under $TMPDIR/klaxon-peers/.
# Extra arguments go to `swift test`, e.g. `scripts/test.sh --filter KlaxonRuntimeTests`.
set -euo pipefail

cd "$(dirname "$0")/.."

swift build
KLAXON_BIN="$(swift build --show-bin-path)/klaxon"
export KLAXON_BIN

swift test --parallel "$@"
