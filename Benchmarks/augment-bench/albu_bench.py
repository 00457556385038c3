"""albumentations-only rows of ../shared/peers/augment.py, same images and transforms, 1 thread.
Usage: ALBU_OUT=albu.json python3 Benchmarks/augment-bench/albu_bench.py [substring-of-transform ...]
       then: .build/release/augment-bench --albu albu.json  (ratios against figures from this machine)
Rates are images per thread-CPU-second (time.thread_time), like augment-bench's per-op rows."""
import os, sys, time, math, json
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "peers"))
from _common import ensure_venv
ensure_venv()
os.environ.setdefault("OMP_NUM_THREADS", "1")
import augment as A_
import cv2
cv2.setNumThreads(1)
imgs = A_.load_images()
sel = sys.argv[1:]
res = {}
for size in ["80x80 gray", "32x32 RGB", "150x150 RGB"]:
    arrs = imgs[size]
    h, w = arrs[0].shape[:2]
    tf = A_.albu_transforms(h, w)
    for name in A_.TRANSFORMS:
        if sel and not any(s in name for s in sel):
            continue
        t = tf[name]
        def one():
            for a in arrs:
                t(image=a)["image"]
        one()
        t0 = time.thread_time(); one(); dt = time.thread_time() - t0
        loops = max(1, math.ceil(0.4 / dt))
        rates = []
        for _ in range(3):
            t0 = time.thread_time()
            for _ in range(loops): one()
            rates.append(len(arrs) * loops / (time.thread_time() - t0))
        r = sorted(rates)[1]
        res[f"{size}|{name}"] = r
        print(f"{size:12s} {name:25s} {r:9.0f}", flush=True)
json.dump(res, open(os.environ.get("ALBU_OUT", "/tmp/albu_last.json"), "w"))
