# Shared by the sweep scripts: the dataprep binary (DATAPREP=path to skip the release build)
# and a split made once and reused (a split folder that exists is kept).
set -euo pipefail
cd "$(dirname "$0")/../.."

# use_dataprep: sets $dataprep, building the release binary unless DATAPREP names one.
use_dataprep() {
  if [ -n "${DATAPREP:-}" ]; then
    dataprep=$DATAPREP
  else
    swift build -c release --product dataprep >&2
    dataprep=.build/release/dataprep
  fi
}

# split_once DATA OUT ARGS…: `dataprep split DATA ARGS… --out OUT` unless OUT already holds a split.
split_once() {
  local data=$1 out=$2; shift 2
  if [ -f "$out/dataset.json" ]; then echo "reusing the split in $out" >&2; return; fi
  "$dataprep" split "$data" "$@" --seed 1 --no-progress --out "$out"
}

# mnist_split OUT: the real MNIST digits split into OUT (PER_CLASS train,val,test per digit,
# default 1000,200,200; "full" for 0.8/0.1/0.1 of all 70,000), or exit 0 when they are absent.
mnist_split() {
  local data=../shared/data/mnist
  if [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then echo "skipped: $data is absent"; exit 0; fi
  use_dataprep
  local per_class=${PER_CLASS:-1000,200,200} sizes
  if [ "$per_class" = full ]; then sizes=(--ratios 0.8,0.1,0.1); else sizes=(--per-class "$per_class"); fi
  split_once "$data" "$1" "${sizes[@]}"
}
