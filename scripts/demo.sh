#!/usr/bin/env bash
# The README's main job on the bundled fixtures: builds dataprep (release) and runs `dataprep info`
# over every fixture format, then shows how a corrupt file is reported.
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
