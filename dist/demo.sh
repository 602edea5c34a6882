#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs the demo sequence
# through keptn-host with every first-party plugin, printing each event as it flows.
set -euo pipefail
cd "$(dirname "$0")/.."
bash dist/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target keptn-host lighthouse prometheus-sli approval
exec python3 dist/demo/demo.py
