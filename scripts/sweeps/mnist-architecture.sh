#!/usr/bin/env bash
# The Fashion-MNIST-style architecture sweeps on the real MNIST digits (../shared/data/mnist):
# width x kernel (filters 16/32/64, kernel 3/5/7: 9 variants) and depth (1-3 conv blocks), a few
# epochs each. Writes OUT/width-kernel and OUT/depth (summary.csv ranked by val_loss, test
# accuracy on the split's test part). Usage:
#   scripts/sweeps/mnist-architecture.sh [EPOCHS] [OUT]     (defaults 3, out/sweeps/mnist)
#   PER_CLASS=1000,200,200 (default; "full" for 0.8/0.1/0.1 of all 70,000)  DATAPREP=path (no build)
source "$(dirname "$0")/common.sh"
epochs=${1:-3}
out=${2:-out/sweeps/mnist}
mnist_split "$out/split"
shared=(--epochs "$epochs" --batch-size 64 --seed 1 --no-progress)

$dataprep sweep "$out/split" "${shared[@]}" --out "$out/width-kernel" --resume \
  --model "conv {filters} {kernel} same relu, maxpool 2, conv {filters} {kernel} same relu, maxpool 2, flatten, dense 64 relu, dense 10 softmax" \
  --grid filters=16,32,64 --grid kernel=3,5,7

$dataprep sweep "$out/split" "${shared[@]}" --out "$out/depth" --resume \
  --model "[conv 32 3 same relu, maxpool 2]*{depth}, flatten, dense 64 relu, dense 10 softmax" \
  --grid depth=1,2,3
