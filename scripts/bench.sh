#!/usr/bin/env bash
# Release-mode benchmarks beside the Python peers, in one sitting on one machine.
# Prints dataprep's numbers (with RESULTS.md's figures for reference), then, when the peers'
# venv exists (../shared/peers/setup.sh), re-runs the matching peer scripts right after so the
# ratios compare like with like. Usage: scripts/bench.sh [--runs N] [--only mnist|jpeg] [--no-peers]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product bench >/dev/null
args=(); peers=1
for a in "$@"; do [ "$a" = "--no-peers" ] && peers=0 || args+=("$a"); done
echo "== dataprep"
.build/release/bench "${args[@]}"
venv=${PEERS_VENV:-$HOME/.cache/dataprep-peers/venv}
if [ $peers = 1 ] && [ -x "$venv/bin/python3" ] && [ -d ../shared/peers ]; then
  for s in mnist_load jpeg_pipeline; do
    echo "== peer: $s.py (same machine, same sitting)"
    (cd ../shared/peers && python3 $s.py) 2>&1 | grep -E '^\|' || true
  done
else
  echo "(peers not re-run: build their venv with ../shared/peers/setup.sh)"
fi
