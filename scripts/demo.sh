#!/usr/bin/env bash
# The README's main job on the bundled fixtures: builds dataprep (release), runs `dataprep info`
# over every fixture format, shows how a corrupt file is reported, then the dataset workflow:
# split, merge-cifar, an augmentation preview grid, a model summary and a short training run with
# augmentation. Everything it writes goes to out/demo/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product dataprep
dataprep=.build/release/dataprep

echo "== MNIST-style IDX folders, CIFAR folders and official archives"
$dataprep info Fixtures/idx/mnist Fixtures/idx/fashion-mnist \
  Fixtures/cifar/cifar-10-batches-bin Fixtures/cifar/cifar-10-binary.tar.gz \
  Fixtures/cifar/cifar-100-binary Fixtures/cifar/cifar-100-binary.tar.gz
echo
echo "== Single IDX arrays of every element type"
$dataprep info Fixtures/idx/dtypes/*
echo
echo "== Photo collections: Kaggle names, class folders, split folders, zips"
$dataprep info Fixtures/collections/kaggle Fixtures/collections/by-class Fixtures/collections/splits \
  Fixtures/collections/kaggle-train.zip Fixtures/collections/by-class.zip Fixtures/collections/kaggle-root
echo
echo "== Single JPEG and PNG files"
$dataprep info $(ls Fixtures/jpeg/*.jpg Fixtures/png/*.png | grep -v -E 'bad-|empty|html|truncated')
echo
echo "== A corrupt input is a clear error and a non-zero exit"
if $dataprep info Fixtures/idx/corrupt/lying-header.idx; then
  echo "expected a failure" >&2; exit 1
fi
echo "(exit status 1, as expected)"

out=out/demo
mkdir -p $out
echo
echo "== Split the Kaggle-style photo fixture 2/1/1 per class at 32x32 gray, with IDX and PNG copies"
$dataprep split Fixtures/collections/kaggle --per-class 2,1,1 --resize 32x32 --grayscale --seed 1 \
  --format idx,png --out $out/kaggle-split --no-progress
echo
echo "== Split the MNIST fixture 80/20 per class, standardized on the train split"
$dataprep split Fixtures/idx/mnist --ratios 0.8,0.2 --normalize standard --seed 1 --out $out/mnist-split --no-progress
echo
echo "== CIFAR-10 + the non-insect_invertebrates superclass of CIFAR-100 (labels 10..14)"
$dataprep merge-cifar --cifar10 Fixtures/cifar/cifar-10-binary.tar.gz --cifar100 Fixtures/cifar/cifar-100-binary.tar.gz \
  --superclass non-insect_invertebrates --seed 1 --out $out/cifar15 --no-progress
echo
echo "== Augmentation preview (Keras-style flags) -> $out/augment-grid.png + .json"
$dataprep augment preview Fixtures/idx/mnist --out $out/augment-grid.png --samples 3 --variants 6 --seed 7 \
  --rotation-range 30 --width-shift-range 0.1 --height-shift-range 0.1 --zoom-range 0.15 --fill-mode constant
echo
echo "== Model summary of the fashion-alexnet preset (Keras's parameter counts)"
$dataprep model summary fashion-alexnet --input 28x28x1
echo
echo "== Train a small CNN on the MNIST fixture with augmentation -> $out/run"
$dataprep train Fixtures/idx/mnist --model "conv 8 3 same relu, maxpool 2, flatten, dense 10 softmax" \
  --epochs 3 --batch-size 8 --seed 1 --rotation-range 10 --zoom-range 0.1 --out $out/run --no-progress
echo
echo "demo outputs are in $out"
