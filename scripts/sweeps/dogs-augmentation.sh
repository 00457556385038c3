#!/usr/bin/env bash
# The augmentation sweep on the real dogs-vs-cats photos (../shared/data/dogs-vs-cats/train),
# the users' lab split (600/140/140 per class, 80x80 gray): dogs-cats-cnn with no augmentation,
# each Keras ImageDataGenerator setting alone (shear in degrees, as Keras), and the lab's full set, to find which give the
# best test accuracy (the issue's bar: >= 82%; the best single run before: 78.9%). Writes
# OUT/summary.csv (ranked by val_loss, with test accuracy). Trains for a long time: opt in.
# Usage: scripts/sweeps/dogs-augmentation.sh [EPOCHS] [OUT]   (defaults 100, out/sweeps/dogs)
#   DATAPREP=path (no build)
source "$(dirname "$0")/common.sh"
epochs=${1:-100}
out=${2:-out/sweeps/dogs}
data=../shared/data/dogs-vs-cats/train
if [ ! -d "$data" ]; then echo "skipped: $data is absent"; exit 0; fi
use_dataprep
split_once "$data" "$out-split" --per-class 600,140,140 --resize 80x80 --grayscale
mkdir -p "$(dirname "$out")"
variants=$out-variants.json
cat > "$variants" <<'JSON'
[
  {"horizontal-flip": false},
  {"horizontal-flip": true},
  {"rotation-range": 40},
  {"width-shift-range": 0.2, "height-shift-range": 0.2},
  {"shear-range": 12},
  {"zoom-range": 0.2},
  {"horizontal-flip": true, "zoom-range": 0.2, "width-shift-range": 0.1, "height-shift-range": 0.1},
  {"horizontal-flip": true, "rotation-range": 40, "width-shift-range": 0.2, "height-shift-range": 0.2,
   "shear-range": 0.2, "zoom-range": 0.2}
]
JSON
$dataprep sweep "$out-split" --model dogs-cats-cnn --epochs "$epochs" --batch-size 32 --lr 0.001 --lr-schedule cosine \
  --fill-mode nearest --seed 1 --no-progress --out "$out" --resume --variants "$variants"
