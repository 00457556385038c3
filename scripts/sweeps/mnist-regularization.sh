#!/usr/bin/env bash
# The L1 / L2 / dropout sweep on the real MNIST digits (../shared/data/mnist): one baseline and
# each regularizer at several strengths, in one table and one set of val_loss curves
# (OUT/summary.csv, ranked by val_loss). Usage:
#   scripts/sweeps/mnist-regularization.sh [EPOCHS] [OUT]   (defaults 5, out/sweeps/mnist-regularization)
#   PER_CLASS=1000,200,200 (default; "full" for 0.8/0.1/0.1 of all 70,000)  DATAPREP=path (no build)
source "$(dirname "$0")/common.sh"
epochs=${1:-5}
out=${2:-out/sweeps/mnist-regularization}
mnist_split "$out-split"
mkdir -p "$(dirname "$out")"
variants=$out-variants.json
cat > "$variants" <<'JSON'
[
  {"l1": 0, "l2": 0, "rate": 0},
  {"l1": 0.0001, "l2": 0, "rate": 0}, {"l1": 0.001, "l2": 0, "rate": 0}, {"l1": 0.002, "l2": 0, "rate": 0},
  {"l1": 0, "l2": 0.0001, "rate": 0},
  {"l1": 0, "l2": 0.001, "rate": 0}, {"l1": 0, "l2": 0.01, "rate": 0},
  {"l1": 0, "l2": 0, "rate": 0.25}, {"l1": 0, "l2": 0, "rate": 0.5}
]
JSON
$dataprep sweep "$out-split" --epochs "$epochs" --batch-size 64 --seed 1 --no-progress --out "$out" --resume \
  --model "conv 32 3 same relu, maxpool 2, conv 64 3 same relu, maxpool 2, flatten, dense 128 relu, dropout {rate}, dense 10 softmax" \
  --variants "$variants"
