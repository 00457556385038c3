#!/usr/bin/env python3
"""Real-data training speed, dataprep beside PyTorch in one sitting (issue 15's MNIST figure).

The recipe is the peers' `mnist_accuracy.py`: model a) (`fashion-alexnet`, Dropout 0.5) on the
60,000 real MNIST training digits, Adam lr 1e-3, batch 128, shuffled every epoch, 2 epochs, 2
threads, no normalization beyond x/255, no augmentation, no validation split, accuracy on the
10,000 test digits after the last epoch. Rounds alternate ours and PyTorch's (one seed each per
round), so a background process slows both alike; the ratio of median epoch times is the figure.

Usage: python3 Benchmarks/train-bench/mnist_epoch.py [--rounds 2] [--dataprep .build-release/release/dataprep]
       [--data ../shared/data/mnist] [--peers ../shared/peers] [--json]
Needs the peers' venv (`../shared/peers/setup.sh`) for the PyTorch side; exits 0 with a message
when the MNIST files or the venv are absent.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            info = dict(line.split(":", 1) for line in f if ":" in line and line.split(":", 1)[0].strip() in
                        ("model name", "cpu family", "model"))
        fields = {k.strip(): v.strip() for k, v in info.items()}
        return f"{fields.get('model name', '?')} (family {fields.get('cpu family', '?')} model {fields.get('model', '?')})"
    except OSError:
        return platform.processor() or "unknown CPU"


def ours(binary, data, seed, work):
    run = os.path.join(work, f"run-{seed}-{time.time_ns()}")
    cmd = ["taskset", "-c", "0,1", binary, "train", data, "--model", "fashion-alexnet", "--epochs", "2",
           "--batch-size", "128", "--optimizer", "adam", "--lr", "0.001", "--val-split", "none",
           "--threads", "2", "--seed", str(seed), "--no-progress", "--out", run]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(run, "history.json")) as f:
        history = json.load(f)
    ev = subprocess.run([binary, "evaluate", os.path.join(run, "last"), data, "--split", "test", "--json",
                         "--threads", "2", "--no-progress"], check=True, capture_output=True, text=True)
    accuracy = json.loads(ev.stdout)["accuracy"]
    return {"seed": seed, "epoch_s": [e["seconds"] for e in history], "test_acc": accuracy}


def peer(python, peers, seed):
    env = dict(os.environ, PEERS_THREADS="2", OMP_NUM_THREADS="2", MKL_NUM_THREADS="2")
    p = subprocess.run(["taskset", "-c", "0,1", python, os.path.join(peers, "mnist_accuracy.py"), "--child", str(seed)],
                       env=env, capture_output=True, text=True, check=True)
    line = next(l for l in p.stdout.splitlines() if l.startswith("RESULT "))
    r = json.loads(line[len("RESULT "):])
    return {"seed": seed, "epoch_s": [e["train_s"] for e in r["epochs"]], "test_acc": r["epochs"][-1]["test_acc"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--dataprep", default=os.path.join(ROOT, ".build-release", "release", "dataprep"))
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "mnist"))
    ap.add_argument("--peers", default=os.path.join(ROOT, "..", "shared", "peers"))
    ap.add_argument("--venv", default=os.path.expanduser("~/.cache/dataprep-peers/venv"))
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    python = os.path.join(a.venv, "bin", "python")
    for path, why in ((a.data, "the MNIST files"), (python, "the peers' venv (run ../shared/peers/setup.sh)"),
                      (a.dataprep, "a release build (swift build -c release --product dataprep --scratch-path .build-release)")):
        if not os.path.exists(path):
            print(f"skipped: {why} not found at {path}")
            return 0
    results = {"cpu": cpu_name(), "ours": [], "pytorch": []}
    with tempfile.TemporaryDirectory(prefix="mnist-epoch-") as work:
        for r in range(a.rounds):
            results["ours"].append(ours(a.dataprep, a.data, r, work))
            print(f"round {r + 1}: dataprep epochs {results['ours'][-1]['epoch_s']} s, test {results['ours'][-1]['test_acc']:.4f}",
                  file=sys.stderr, flush=True)
            results["pytorch"].append(peer(python, a.peers, r))
            print(f"round {r + 1}: PyTorch  epochs {results['pytorch'][-1]['epoch_s']} s, test {results['pytorch'][-1]['test_acc']:.4f}",
                  file=sys.stderr, flush=True)
    med = {k: statistics.median(s for run in results[k] for s in run["epoch_s"]) for k in ("ours", "pytorch")}
    acc = {k: statistics.mean(run["test_acc"] for run in results[k]) for k in ("ours", "pytorch")}
    results["median_epoch_s"] = med
    results["mean_test_acc_after_2_epochs"] = acc
    results["ratio"] = med["pytorch"] / med["ours"]
    if a.json:
        print(json.dumps(results, indent=1))
    else:
        print(f"CPU: {results['cpu']}, 2 threads, {a.rounds} rounds interleaved")
        print(f"| | median epoch s | test accuracy after 2 epochs (mean) |\n|---|---:|---:|")
        print(f"| dataprep | {med['ours']:.1f} | {100 * acc['ours']:.2f}% |")
        print(f"| PyTorch | {med['pytorch']:.1f} | {100 * acc['pytorch']:.2f}% |")
        print(f"dataprep is {results['ratio']:.2f}x PyTorch's speed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
