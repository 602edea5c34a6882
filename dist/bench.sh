#!/usr/bin/env bash
# Runs every benchmark (ctest label bench) on a release build and prints their ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
bash dist/install-deps.sh
cmake --preset release
cmake --build --preset release
ctest --test-dir build/release -L bench --output-on-failure -V | grep -E "^[0-9]+: (events|baseline|keptn-host|ratio|peak|serve|latency|memory|throughput)" || true
