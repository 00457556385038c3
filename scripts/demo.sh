#!/usr/bin/env bash
# The README's main job on the bundled fixtures: builds dataprep (release), runs `dataprep info`
# over every fixture format, shows how a corrupt file is reported, then the whole lab:
# split -> augment preview -> train -> evaluate -> merge-cifar + fine-tune with frozen layers ->
# evaluate on 15 classes -> explain. Every picture and report lands in one folder, out/demo/
# (git-ignored), listed at the end.
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
rm -rf $out
mkdir -p $out
echo
echo "== 1. Split the shapes fixture (MNIST layout, 10 classes, 1000 images) 60/20/20 per class, seeded, with IDX copies"
$dataprep split Fixtures/shapes --per-class 60,20,20 --seed 1 --format idx --out $out/shapes-split --no-progress
echo
echo "== 1b. Split the Kaggle-style photo fixture 2/1/1 per class at 32x32 gray, with PNG copies"
$dataprep split Fixtures/collections/kaggle --per-class 2,1,1 --resize 32x32 --grayscale --seed 1 \
  --format png --out $out/kaggle-split --no-progress
echo
echo "== 2. Augmentation preview (Keras-style flags) -> $out/augment-grid.png + .json"
$dataprep augment preview $out/shapes-split --out $out/augment-grid.png --samples 4 --variants 6 --seed 7 \
  --rotation-range 20 --width-shift-range 0.1 --height-shift-range 0.1 --zoom-range 0.1 --fill-mode constant
echo
echo "== 3. Model summary of the fashion-alexnet preset (Keras's parameter counts)"
$dataprep model summary fashion-alexnet --input 28x28x1
echo
echo "== 4. Train a small CNN on the split with augmentation -> $out/shapes-run (curves.png, report.html)"
$dataprep train $out/shapes-split --model "conv 16 3 same relu, maxpool 2, conv 32 3 same relu, maxpool 2, flatten, dense 64 relu, dropout 0.25, dense 10 softmax" \
  --epochs 12 --batch-size 32 --lr 0.002 --seed 1 --rotation-range 10 --width-shift-range 0.1 --height-shift-range 0.1 \
  --out $out/shapes-run --no-progress
echo
echo "== 5. Evaluate the best checkpoint on the test split -> $out/shapes-run/eval-shapes-split-test (confusion.png, report.html)"
$dataprep evaluate $out/shapes-run $out/shapes-split --split test --no-progress
echo
echo "== 6. CIFAR: train on the CIFAR-10 fixture, merge the non-insect_invertebrates superclass"
echo "      of CIFAR-100 (labels 10..14), fine-tune with the first 5 layers frozen, evaluate on 15 classes"
$dataprep train Fixtures/cifar/cifar-10-binary.tar.gz --model "conv 8 3 same relu, maxpool 2, conv 8 3 same relu, maxpool 2, flatten, dense 10 softmax" \
  --epochs 4 --batch-size 4 --seed 1 --out $out/cifar10-run --no-progress
$dataprep merge-cifar --cifar10 Fixtures/cifar/cifar-10-binary.tar.gz --cifar100 Fixtures/cifar/cifar-100-binary.tar.gz \
  --superclass non-insect_invertebrates --seed 1 --out $out/cifar15 --no-progress
$dataprep fine-tune $out/cifar10-run $out/cifar15 --freeze 5 --epochs 4 --batch-size 4 --seed 1 \
  --out $out/cifar15-run --no-progress
$dataprep evaluate $out/cifar15-run $out/cifar15 --split test --no-progress
echo
echo "== 7. Explain a test image: occlusion heatmap, activation maps, per-layer statistics per class"
$dataprep explain $out/shapes-run $out/shapes-split --split test --index 0 --samples 20 --out $out/explain --no-progress
echo
echo "== 8. A corrupt training input is a clear error too"
if $dataprep train Fixtures/idx/corrupt/lying-header.idx --model mlp --epochs 1 --out $out/never 2>&1; then
  echo "expected a failure" >&2; exit 1
fi
echo "(exit status 1, as expected)"
echo
echo "== The lab's pictures and reports, all in $out:"
find $out -maxdepth 3 \( -name '*.png' -o -name '*.html' \) -not -path '*/png/*' | sort
