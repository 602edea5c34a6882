#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs every test but the
# benchmarks. Pass "debug" to run the same under AddressSanitizer and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"

bash dist/install-deps.sh
cmake --preset "$preset"
cmake --build --preset "$preset"
ctest --preset "$preset"
