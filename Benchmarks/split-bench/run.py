"""`dataprep split` beside the users' pandas + cv2 script, in one sitting on one machine.

  python3 Benchmarks/split-bench/run.py [--runs 5] [--data ../shared/data/dogs-vs-cats/train]

Times, alternating so both see the same machine state (files warm in the page cache):
  - dataprep split --per-class 600,140,140 --resize 80x80 --grayscale (release build), 2 threads and 1 thread;
  - pandas_cv2_split.py with the peers' venv (~/.cache/dataprep-peers/venv, needs pandas + opencv).
Prints the medians and the ratio peer / dataprep (higher is better for us). Note that dataprep does
more work: it also hashes every source file (SHA-256 manifest), checks for duplicate images and
writes atomically.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--data", default=os.path.join(root, "..", "shared", "data", "dogs-vs-cats", "train"))
ap.add_argument("--venv", default=os.environ.get("PEERS_VENV", os.path.expanduser("~/.cache/dataprep-peers/venv")))
a = ap.parse_args()
if not os.path.isdir(a.data):
    sys.exit(f"skipped: {a.data} is absent")
binary = os.path.join(root, ".build", "release", "dataprep")
if not os.path.exists(binary):
    sys.exit(f"build first: swift build -c release --product dataprep ({binary} missing)")
peer_python = os.path.join(a.venv, "bin", "python3")
have_peer = subprocess.run([peer_python, "-c", "import pandas, cv2"], capture_output=True).returncode == 0 if os.path.exists(peer_python) else False
if not have_peer:
    print(f"(peer not run: {peer_python} lacks pandas/cv2; run ../shared/peers/setup.sh then {a.venv}/bin/pip install pandas)")

work = tempfile.mkdtemp(prefix="split-bench-")
common = ["--per-class", "600,140,140", "--resize", "80x80", "--grayscale", "--seed", "1", "--no-progress"]
jobs = {
    "dataprep split (2 threads)": [binary, "split", a.data, "--out", os.path.join(work, "ours2"), "--threads", "2"] + common,
    "dataprep split (1 thread)": [binary, "split", a.data, "--out", os.path.join(work, "ours1"), "--threads", "1"] + common,
}
if have_peer:
    jobs["pandas + cv2 (users' script)"] = [peer_python, os.path.join(os.path.dirname(os.path.abspath(__file__)), "pandas_cv2_split.py"),
                                            a.data, os.path.join(work, "peer")]
times = {k: [] for k in jobs}
for cmd in jobs.values():  # warm-up: page cache, dynamic loading
    subprocess.run(cmd, check=True, capture_output=True)
for _ in range(a.runs):
    for name, cmd in jobs.items():
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times[name].append(time.perf_counter() - start)
shutil.rmtree(work, ignore_errors=True)
load = os.getloadavg()[0]
print(f"split 1760 dogs-vs-cats JPEGs -> 600/140/140 per class, 80x80 gray; median of {a.runs}; load avg {load:.2f}")
print("| job | median s | images/s |")
print("|---|---|---|")
for name, t in times.items():
    m = statistics.median(t)
    print(f"| {name} | {m:.2f} | {1760 / m:,.0f} |")
if have_peer:
    peer = statistics.median(times["pandas + cv2 (users' script)"])
    for name in list(jobs)[:2]:
        print(f"ratio pandas+cv2 / {name}: {peer / statistics.median(times[name]):.2f}x")
