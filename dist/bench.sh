#!/usr/bin/env bash
# Runs every benchmark (ctest label bench) on a release build and prints their results, each
# against a baseline measured in the same run:
#   run_throughput_bench  keptn-host run (local mode) against parsing and serialising only
#   serve_bench           keptn-host serve on a real nats-server against a cnats program doing
#                         the same work per task: throughput, latency, memory
# Scale with KPH_BENCH_EVENTS (local mode, default 50000), KPH_BENCH_SERVE_EVENTS (serve,
# default 5000 per run), KPH_BENCH_ROUNDS (serve throughput runs per side, default 4),
# KPH_BENCH_RATE (latency events/s, default 200) and KPH_BENCH_SECONDS
# (latency run length, default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
bash dist/install-deps.sh
cmake --preset release
cmake --build --preset release

log="build/release/bench.log"
status=0
ctest --test-dir build/release -L bench --output-on-failure -V >"$log" 2>&1 || status=$?
# ctest -V prefixes each line of a test's output with the test's number.
sed -n -E 's/^[0-9]+: ((events|baseline|keptn-host|ratio|peak|serve bench|\|).*)$/\1/p' "$log"
if [ "$status" -ne 0 ]; then
  echo "a benchmark failed (exit $status); its output:" >&2
  grep -E "Failure|Expected|Which is|error|FAILED" "$log" | head -40 >&2 || true
  echo "full log: $log" >&2
fi
exit "$status"
