#!/usr/bin/env bash
# The communication cost of data-parallel training on this machine: one fashion-alexnet epoch on
# the real MNIST digits (../shared/data/mnist, 60,000 train images; 0.1 held out for validation)
# as 1 process x 2 threads, 2 ranks x 1 thread (mpirun) and 1 process x 1 thread, interleaved,
# ROUNDS times. Prints each run's epoch time (the history's training seconds, validation
# excluded) and the exchange per step, and checks that every run ends with the same weights.
# Usage: Benchmarks/mpi/mnist-ranks.sh [ROUNDS] [BLOCK]   (DATAPREP=path to skip the release build)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-1}
block=${2:-16}
data=../shared/data/mnist
if [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then echo "skipped: $data is absent"; exit 0; fi
if [ -z "${DATAPREP:-}" ]; then swift build -c release --product dataprep >&2; DATAPREP=.build/release/dataprep; fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
lscpu | sed -n 's/^Model name: *//p' | head -1
train=(train "$data" --model fashion-alexnet --epochs 1 --batch-size 128 --block-size "$block" --seed 1 --no-progress)
seconds() { python3 -c "import json,sys; print('%.1f' % json.load(open(sys.argv[1]))[0]['seconds'])" "$1/history.json"; }
for round in $(seq 1 "$rounds"); do
  for setup in "1x2" "2x1" "1x1"; do
    ranks=${setup%x*} threads=${setup#*x} run=$out/$round-$setup
    if [ "$ranks" = 1 ]; then
      "$DATAPREP" "${train[@]}" --threads "$threads" --out "$run" > "$run.log" 2>&1
    else
      mpirun --allow-run-as-root --oversubscribe -np "$ranks" "$DATAPREP" "${train[@]}" --threads "$threads" --out "$run" > "$run.log" 2>&1
    fi
    exchanged=$(sed -n "s/^rank 0 exchanged per step: \(.*\)/\1/p" "$run.log")
    echo "round $round: $ranks rank(s) x $threads thread(s): epoch $(seconds "$run") s${exchanged:+; rank 0 per step: $exchanged}"
  done
done
first=$(ls -d "$out"/*/ | head -1)
for run in "$out"/*/; do
  cmp -s "$first/last/model.safetensors" "$run/last/model.safetensors" || { echo "weights differ: $run"; exit 1; }
done
echo "every run ended with the same weights (block size $block)"
