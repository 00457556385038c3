"""The users' split today, as their lab notebooks write it: pandas for the file table, a seeded
per-class shuffle, cv2 for decoding, NumPy for the arrays. Our peer for `dataprep split`.

  python pandas_cv2_split.py DATA_DIR OUT_DIR [--per-class 600,140,140] [--size 80] [--seed 1]

Writes OUT_DIR/{train,val,test}_{x,y}.npy and OUT_DIR/manifest.csv. One process, as in the
notebooks (cv2.setNumThreads(1) is not called: cv2 may use its own threads for resize).
"""
import argparse
import glob
import os

import cv2
import numpy as np
import pandas as pd

ap = argparse.ArgumentParser()
ap.add_argument("data")
ap.add_argument("out")
ap.add_argument("--per-class", default="600,140,140")
ap.add_argument("--size", type=int, default=80)
ap.add_argument("--seed", type=int, default=1)
a = ap.parse_args()
counts = [int(c) for c in a.per_class.split(",")]
names = ["train", "val", "test"][: len(counts)]

files = sorted(glob.glob(os.path.join(a.data, "*.jpg")))
df = pd.DataFrame({"filename": files, "category": [os.path.basename(f).split(".")[0] for f in files]})
classes = sorted(df.category.unique())
df["label"] = df.category.map({c: i for i, c in enumerate(classes)})
parts = {n: [] for n in names}
for c in classes:
    rows = df[df.category == c].sample(frac=1, random_state=a.seed)
    start = 0
    for n, k in zip(names, counts):
        parts[n].append(rows.iloc[start:start + k])
        start += k
os.makedirs(a.out, exist_ok=True)
manifest = []
for n in names:
    part = pd.concat(parts[n]).sample(frac=1, random_state=a.seed)
    x = np.stack([cv2.resize(cv2.imread(p, cv2.IMREAD_GRAYSCALE), (a.size, a.size), interpolation=cv2.INTER_AREA)
                  for p in part.filename])[..., None]
    np.save(os.path.join(a.out, f"{n}_x.npy"), x)
    np.save(os.path.join(a.out, f"{n}_y.npy"), part.label.to_numpy(dtype=np.int64))
    manifest.append(part.assign(split=n))
pd.concat(manifest).to_csv(os.path.join(a.out, "manifest.csv"), index=False)
