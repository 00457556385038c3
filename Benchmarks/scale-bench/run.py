"""How `dataprep split` and one `train` epoch scale with the number of photos (issue 14).

  python3 Benchmarks/scale-bench/run.py [--sizes 50000,200000,1000000] [--work DIR]
                                         [--dataprep PATH] [--keep] [--no-calibrate]

For each N it builds (once, then reuses) a Kaggle-named collection `cat.0.jpg … cat.(N/2-1).jpg`,
`dog.0.jpg …` of hard links to the real dogs-vs-cats photos (880 per class, repeated), so a
million photos cost inodes, not disk. Then, each under `/usr/bin/time -v`:

  dataprep split DATA --ratios 0.8,0.1,0.1 --resize 64x64 --seed 1 --out OUT --no-progress
  dataprep train OUT --model "conv 16 3 same relu, maxpool 2, conv 32 3 same relu, maxpool 2,
               flatten, dense 64 relu, dense 2 softmax" --epochs 1 --batch-size 64 --seed 1 --out RUN --no-progress

and records wall seconds, user+sys CPU seconds, peak RSS (`Maximum resident set size`, which
counts mapped file pages, i.e. page cache), peak resident anonymous memory (`RssAnon` of the
command, sampled every 10 ms: what the process itself holds) and the exit status. A command that fails (the memory-budget error, killed for lack of memory, …) is a
row with its status, not a failure of this script. images/s counts the photos `split` read and
the training samples of the epoch. The split and run folders are removed after each N unless
`--keep`; the hard-link collections stay under WORK for the next run.

Every photo is the same picture as 1 in every N/880 others, so `split` reports (and keeps) huge
duplicate groups that cross splits: that is the price of cheap synthetic data, and costs little
(one 64-bit hash per sample, one memcmp per member).

The projection for ImageNet-1k (1.28M photos, 224x224) takes the throughput (wall and per
CPU-second) of the largest N that succeeded and scales it by how much more one sample costs at
224x224 than at 64x64, measured on
the 1760 real photos (`split` and a 1-epoch `train` at both sizes, CPU seconds), or, with
`--no-calibrate`, by the pixel count ratio (224/64)^2 = 12.25. Results go to
out/scale-bench/scale-bench.{md,json} (and the commands' logs to out/scale-bench/logs/).
"""
import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = "conv 16 3 same relu, maxpool 2, conv 32 3 same relu, maxpool 2, flatten, dense 64 relu, dense 2 softmax"
IMAGENET = 1_281_167
PIXEL_RATIO = (224 * 224) / (64 * 64)


def parse_sizes(text):
    sizes = [int(s) for s in re.split(r"[,\s]+", text.strip()) if s]
    if not sizes or any(n < 2 or n % 2 for n in sizes):
        sys.exit(f"--sizes: even counts of at least 2 expected, got {text!r}")
    return sizes


ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--sizes", type=parse_sizes, default=[50_000, 200_000, 1_000_000],
                help="photo counts, comma-separated (default 50000,200000,1000000)")
ap.add_argument("--data", default=os.path.join(root, "..", "shared", "data", "dogs-vs-cats", "train"))
ap.add_argument("--work", default=os.path.join(root, "out", "scale-bench", "work"),
                help="where the hard-link collections, split and run folders go (same filesystem as --data)")
ap.add_argument("--results", default=os.path.join(root, "out", "scale-bench"))
ap.add_argument("--dataprep", help="binary to measure (default: swift build -c release --product dataprep)")
ap.add_argument("--threads", type=int, help="passed to dataprep --threads (default: dataprep's own)")
ap.add_argument("--keep", action="store_true", help="keep each N's split and run folders")
ap.add_argument("--no-calibrate", dest="calibrate", action="store_false",
                help="project ImageNet by pixel count instead of measuring 224x224 on the real photos")
a = ap.parse_args()


def say(text):
    print(text, flush=True)


# ---------------------------------------------------------------------------------------------
# Setup: data, binary, /usr/bin/time, machine facts.

if not os.path.isdir(a.data):
    say(f"skipped: {a.data} is absent (the real dogs-vs-cats photos are needed to build the collection)")
    sys.exit(0)
sources = {c: sorted((f for f in os.listdir(a.data) if f.startswith(c + ".") and f.endswith(".jpg")),
                     key=lambda f: int(f.split(".")[1])) for c in ("cat", "dog")}
if not sources["cat"] or not sources["dog"]:
    say(f"skipped: {a.data} has no cat.K.jpg / dog.K.jpg photos")
    sys.exit(0)

if a.dataprep:
    binary = os.path.abspath(a.dataprep)
else:
    say("building: swift build -c release --product dataprep")
    subprocess.run(["swift", "build", "-c", "release", "--product", "dataprep"], cwd=root, check=True)
    binary = os.path.join(root, ".build", "release", "dataprep")
if not os.access(binary, os.X_OK):
    sys.exit(f"{binary}: not an executable")

TIME = "/usr/bin/time"
if not os.access(TIME, os.X_OK):
    say("installing Debian's `time` package (for /usr/bin/time -v)")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "time"], check=True,
                   env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def output(cmd, cwd=None):
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def cpu_name():
    fields = dict(line.split(":", 1) for line in output(["lscpu"]).splitlines() if ":" in line)
    name = fields.get("Model name", platform.processor() or "unknown CPU").strip()
    family, model = fields.get("CPU family", "").strip(), fields.get("Model", "").strip()
    detail = f", family {family} model {model}" if family else ""
    return f"{name}{detail}, {os.cpu_count()} cores"


def mem_total_gb():
    with open("/proc/meminfo") as f:
        kb = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
    return kb / 1024 / 1024


commit = output(["git", "rev-parse", "--short", "HEAD"], cwd=root) or "unknown"
if output(["git", "status", "--porcelain", "--untracked-files=no", "--", "Sources", "Tools", "Package.swift"], cwd=root):
    commit += " (with uncommitted changes in Sources/Tools)"
machine = {"cpu": cpu_name(), "memory_gb": round(mem_total_gb(), 1), "commit": commit, "binary": binary,
           "threads": a.threads or "default"}
say(f"dataprep {commit} ({binary}); {machine['cpu']}; {machine['memory_gb']} GiB RAM")

# ---------------------------------------------------------------------------------------------
# The synthetic collection: hard links under Kaggle names.


def collection(n):
    """WORK/photos-N with exactly N Kaggle-named hard links; reused when already complete."""
    folder = os.path.join(a.work, f"photos-{n}")
    if os.path.isdir(folder):
        with os.scandir(folder) as entries:
            have = sum(1 for _ in entries)
        if have == n:
            say(f"  reusing {folder} ({n:,} photos)")
            return folder
        say(f"  {folder} has {have:,} entries, not {n:,}: rebuilding")
        shutil.rmtree(folder)
    partial = folder + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(partial)
    start, half, done = time.perf_counter(), n // 2, 0
    link = os.link
    for c in ("cat", "dog"):
        src = [os.path.join(a.data, f) for f in sources[c]]
        count = len(src)
        for k in range(half):
            try:
                link(src[k % count], os.path.join(partial, f"{c}.{k}.jpg"))
            except OSError as e:
                if e.errno == 18:  # EXDEV
                    sys.exit(f"cannot hard-link {a.data} into {a.work}: different filesystems; pass --work on the same one")
                raise
            done += 1
            if done % 100_000 == 0:
                rate = done / (time.perf_counter() - start)
                say(f"  linked {done:,}/{n:,} ({rate:,.0f}/s)")
    os.rename(partial, folder)
    say(f"  built {folder}: {n:,} hard links in {time.perf_counter() - start:.1f} s")
    return folder


# ---------------------------------------------------------------------------------------------
# Measuring one command.


def parse_time(text):
    """Fields of GNU time -v: wall, CPU, peak RSS, exit status or signal."""
    def field(label):
        m = re.search(r"^\s*" + re.escape(label) + r":\s*(.+)$", text, re.M)
        return m.group(1).strip() if m else None
    user, system = float(field("User time (seconds)") or 0), float(field("System time (seconds)") or 0)
    rss_kb = int(field("Maximum resident set size (kbytes)") or 0)
    signal = re.search(r"Command terminated by signal (\d+)", text)
    status = int(field("Exit status") or -1)
    return {"cpu_s": round(user + system, 2), "user_s": user, "sys_s": system,
            "peak_rss_mb": round(rss_kb / 1024, 1), "exit": status,
            "signal": int(signal.group(1)) if signal else None}


def sample_peak_anonymous(proc):
    """Largest `RssAnon` (kB) of the command `time` runs, sampled every 10 ms until it exits.

    `time -v`'s peak RSS counts the pages of mapped files too (a split output's `x.npy` read
    through `mmap` is page cache, dropped under pressure), so it grows with the data a command
    touches; resident anonymous memory is what the process itself holds."""
    peak, child = None, None
    while proc.poll() is None:
        try:
            if child is None:
                with open(f"/proc/{proc.pid}/task/{proc.pid}/children") as f:
                    pids = f.read().split()
                child = pids[0] if pids else None
            if child is not None:
                with open(f"/proc/{child}/status") as f:
                    for line in f:
                        if line.startswith("RssAnon:"):
                            peak = max(peak or 0, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.01)
    return peak


def short_error(lines):
    """The error line without `error: PATH:`, parentheses and the remedy after ';': fit for a table cell."""
    line = next((l for l in lines if l.lower().startswith("error")), lines[-1])
    line = re.sub(r"^error:\s*", "", line, flags=re.I)
    line = re.sub(r"\s*\([^()]*\)", "", re.sub(r"^/\S+:\s+", "", line)).split(";")[0].replace("|", "/")
    return line if len(line) <= 140 else line[:139] + "…"


def measure(name, args, images, log_dir):
    cmd = [binary] + args + (["--threads", str(a.threads)] if a.threads else [])
    os.makedirs(log_dir, exist_ok=True)
    time_file = os.path.join(log_dir, f"{name}.time")
    out_path = os.path.join(log_dir, f"{name}.log")
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    with open(out_path, "w") as log:
        proc = subprocess.Popen([TIME, "-v", "-o", time_file] + cmd, stdout=log, stderr=subprocess.STDOUT)
        peak_anon_kb = sample_peak_anonymous(proc)
    wall = time.perf_counter() - start
    with open(time_file) as f:
        r = parse_time(f.read())
    with open(out_path) as f:
        lines = [line.strip() for line in f if line.strip()]
    if r["signal"]:
        status = f"killed by signal {r['signal']}" + (" (out of memory?)" if r["signal"] == 9 else "")
    elif r["exit"] != 0:
        status = f"exit {r['exit']}" + (f": {short_error(lines)}" if lines else "")
    else:
        status = "ok"
    r["peak_anon_mb"] = round(peak_anon_kb / 1024, 1) if peak_anon_kb is not None else None
    r.update(command=name, argv=cmd, images=images, wall_s=round(wall, 2), status=status,
             images_per_s=round(images / wall, 1) if status == "ok" else None,
             images_per_cpu_s=round(images / r["cpu_s"], 1) if status == "ok" and r["cpu_s"] else None,
             load_before=round(load_before, 2), load_after=round(os.getloadavg()[0], 2), log=out_path)
    say(f"  {name}: {status}, wall {wall:.1f} s, CPU {r['cpu_s']:.1f} s, peak RSS {r['peak_rss_mb']:,.0f} MB, "
        f"peak anonymous {r['peak_anon_mb'] if r['peak_anon_mb'] is not None else '–'} MB")
    return r


def train_count(split_out):
    """Training samples in the split output (its dataset.json's `splits`), else 80% of the photos."""
    try:
        with open(os.path.join(split_out, "dataset.json")) as f:
            return next(s["count"] for s in json.load(f)["splits"] if s["name"] == "train")
    except (OSError, ValueError, KeyError, StopIteration):
        return None


def split_args(data, out, size):
    return ["split", data, "--ratios", "0.8,0.1,0.1", "--resize", size, "--seed", "1", "--out", out, "--no-progress"]


def train_args(data, run):
    return ["train", data, "--model", MODEL, "--epochs", "1", "--batch-size", "64", "--seed", "1",
            "--out", run, "--no-progress"]


def run_pair(tag, data, photos, size, log_dir):
    """split then train for one collection; returns the two rows."""
    out, run = os.path.join(a.work, f"split-{tag}"), os.path.join(a.work, f"run-{tag}")
    for d in (out, run):
        shutil.rmtree(d, ignore_errors=True)
    rows = [measure("split", split_args(data, out, size), photos, log_dir)]
    if rows[0]["status"] == "ok":
        n_train = train_count(out) or round(photos * 0.8)
        rows.append(measure("train", train_args(out, run), n_train, log_dir))
    else:
        rows.append({"command": "train", "status": "not run (split failed)", "images": None, "wall_s": None,
                     "cpu_s": None, "peak_rss_mb": None, "images_per_s": None, "images_per_cpu_s": None})
    if not a.keep:
        for d in (out, run):
            shutil.rmtree(d, ignore_errors=True)
    return rows


# ---------------------------------------------------------------------------------------------
# The runs.

os.makedirs(a.work, exist_ok=True)
results = []
for n in a.sizes:
    say(f"N = {n:,}")
    data = collection(n)
    for row in run_pair(str(n), data, n, "64x64", os.path.join(a.results, "logs", str(n))):
        row["n"] = n
        results.append(row)

calibration = None
if a.calibrate:
    say(f"calibration: split + 1 train epoch of the {len(sources['cat']) + len(sources['dog'])} real photos at 64x64 and 224x224")
    photos = len(sources["cat"]) + len(sources["dog"])
    cal = {size: run_pair(f"cal-{size}", a.data, photos, size, os.path.join(a.results, "logs", f"calibrate-{size}"))
           for size in ("64x64", "224x224")}
    if all(r["status"] == "ok" for rows in cal.values() for r in rows):
        calibration = {cmd: round((cal["224x224"][i]["cpu_s"] / cal["224x224"][i]["images"])
                                  / (cal["64x64"][i]["cpu_s"] / cal["64x64"][i]["images"]), 2)
                       for i, cmd in enumerate(("split", "train"))}
        calibration["rows"] = {size: rows for size, rows in cal.items()}
    else:
        say("  calibration failed: projecting by pixel count")

# ---------------------------------------------------------------------------------------------
# Report: Markdown table, projection, JSON.


def fmt(value, spec):
    return "–" if value is None else format(value, spec)


def command_text(r):
    if r["command"] == "split":
        return "split → 64x64"
    return f"train 1 epoch ({r['images']:,})" if r.get("images") else "train 1 epoch"


table = ["| N | command | wall s | CPU s | images/s (wall) | images/CPU-s | peak RSS MB | peak anonymous MB | status |",
         "|---:|---|---:|---:|---:|---:|---:|---:|---|"]
for r in results:
    table.append(f"| {r['n']:,} | {command_text(r)} | {fmt(r['wall_s'], '.1f')} | {fmt(r['cpu_s'], '.1f')} | "
                 f"{fmt(r['images_per_s'], ',.0f')} | {fmt(r['images_per_cpu_s'], ',.0f')} | "
                 f"{fmt(r['peak_rss_mb'], ',.0f')} | {fmt(r.get('peak_anon_mb'), ',.0f')} | {r['status']} |")

projection = None
ok = {cmd: [r for r in results if r["command"] == cmd and r["status"] == "ok"] for cmd in ("split", "train")}
if ok["split"] and ok["train"]:
    ratios = calibration or {"split": PIXEL_RATIO, "train": PIXEL_RATIO}
    how = ("per-sample CPU cost at 224x224 / 64x64 measured on the real photos"
           if calibration else f"pixel count ratio (224/64)^2 = {PIXEL_RATIO:.2f}")
    parts, total, cpu_total = [], 0.0, 0.0
    for cmd, images in (("split", IMAGENET), ("train", round(IMAGENET * 0.8))):
        base = max(ok[cmd], key=lambda r: r["n"])
        seconds = images / base["images_per_s"] * ratios[cmd]
        cpu_seconds = images / base["images_per_cpu_s"] * ratios[cmd]
        total, cpu_total = total + seconds, cpu_total + cpu_seconds
        parts.append({"command": cmd, "from_n": base["n"], "images": images, "ratio": ratios[cmd],
                      "images_per_s_64": base["images_per_s"], "hours": round(seconds / 3600, 2),
                      "cpu_hours": round(cpu_seconds / 3600, 2)})
    projection = {"how": how, "parts": parts, "hours": round(total / 3600, 2), "cpu_hours": round(cpu_total / 3600, 2),
                  "pixels_gb": round(IMAGENET * 224 * 224 * 3 / 1e9)}
    cores = os.cpu_count() or 1
    lines = [f"projected for ImageNet-1k ({IMAGENET:,} photos, split 0.8/0.1/0.1, one train epoch of the same CNN "
             f"on its {parts[1]['images']:,} training photos) at 224x224: {projection['hours']:.1f} h wall at the "
             f"measured rate (split {parts[0]['hours']:.1f} h + train {parts[1]['hours']:.1f} h); "
             f"{projection['cpu_hours']:.1f} CPU-hours (split {parts[0]['cpu_hours']:.1f} + train {parts[1]['cpu_hours']:.1f}), "
             f"at best {projection['cpu_hours'] / cores:.1f} h on {cores} idle cores.",
             f"how: the images/s of the largest N that succeeded (split N = {parts[0]['from_n']:,}, train N = "
             f"{parts[1]['from_n']:,}) divided by the per-sample cost of 224x224 over 64x64 (split ×{parts[0]['ratio']:.2f}, "
             f"train ×{parts[1]['ratio']:.2f}: {how}); it assumes the throughput stays flat in N and ignores memory: "
             f"the pixels alone are {projection['pixels_gb']} GB as uint8."]
else:
    lines = ["no projection: no N where both split and train succeeded"]

header = (f"dataprep {commit}, {machine['cpu']}, {machine['memory_gb']} GiB RAM, threads {machine['threads']}; "
          f"load average at the end {os.getloadavg()[0]:.2f}; {time.strftime('%Y-%m-%d %H:%M %Z')}")
report = "\n".join([header, ""] + table + [""] + lines)
if calibration:
    report += "\ncalibration (1760 real photos, CPU s per image, 224x224 / 64x64): " \
              f"split ×{calibration['split']:.2f}, train ×{calibration['train']:.2f}"
say("")
say(report)
os.makedirs(a.results, exist_ok=True)
with open(os.path.join(a.results, "scale-bench.md"), "w") as f:
    f.write(report + "\n")
with open(os.path.join(a.results, "scale-bench.json"), "w") as f:
    json.dump({"machine": machine, "results": results, "calibration": calibration, "projection": projection},
              f, indent=2)
say(f"\nwritten: {os.path.join(a.results, 'scale-bench.md')} and .json")
