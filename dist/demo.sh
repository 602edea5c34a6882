#!/usr/bin/env bash
# The README's first command, the main job: installs what is missing, builds keptn-host and every
# first-party plugin, then runs dist/demo/demo.py. That starts a local nats-server with JetStream,
# a backfilled Prometheus and `keptn-host serve`, drives Keptn quality-gate sequences through them
# over NATS, prints each event as it flows and ends with a summary. State: var/demo/, wiped at
# the start of each run (see demo.py for why).
#
# demo.py owns the servers: it stops them on every way out (the end, a failure, Ctrl-C, SIGTERM,
# SIGHUP), keptn-host first so it drains while NATS is up. `exec` leaves no shell in between
# whose own trap could stop them in the wrong order.
set -euo pipefail
cd "$(dirname "$0")/.."
bash dist/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target keptn-host lighthouse prometheus-sli approval
exec python3 dist/demo/demo.py
