"""PyTorch training-step timer for the 4 presets, run beside train-bench in one sitting:
   OMP_NUM_THREADS=T taskset -c 0[,1] ~/.cache/dataprep-peers/venv/bin/python3 Benchmarks/train-bench/torch_bench.py T [model...] [--seconds S] [--inference]
Same step as peers/train_torch.py: zero_grad + forward + loss + backward + Adam; 10 warm-up, median of 3.
`train-bench --side-by-side` runs this script itself (unpinned, OMP_NUM_THREADS=T), interleaved with its own step."""
import sys, time, os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "peers"))
import torch
from torch import nn
import models_torch as M
th = int(sys.argv[1])
secs = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 2.5
torch.set_num_threads(th)
torch.manual_seed(0)
cfg = {"alexnet": ("a", (1, 28, 28), 128, "ce"), "cifar": ("b", (3, 32, 32), 32, "ce"),
       "dogs": ("c", (1, 80, 80), 32, "bce"), "mlp": ("d", (1, 28, 28), 128, "ce")}
names = [a for a in sys.argv[2:] if a in cfg] or list(cfg)
makers = {"a": M.model_a, "b": M.model_b, "c": M.model_c, "d": M.model_d}
for name in names:
    key, shape, bs, lk = cfg[name]
    model = makers[key](); model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    xs = [torch.randn(bs, *shape) for _ in range(8)]
    if lk == "ce":
        ys = [torch.randint(0, 10, (bs,)) for _ in range(8)]; lossf = nn.CrossEntropyLoss()
    else:
        ys = [torch.randint(0, 2, (bs, 1)).float() for _ in range(8)]; lossf = nn.BCEWithLogitsLoss()
    it = [0]
    def step():
        i = it[0] % 8; it[0] += 1
        opt.zero_grad(set_to_none=True)
        lossf(model(xs[i]), ys[i]).backward()
        opt.step()
    for _ in range(10): step()
    t0 = time.perf_counter()
    for _ in range(5): step()
    n = max(10, int(secs / ((time.perf_counter() - t0) / 5)))
    rates = []
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(n): step()
        rates.append(bs * n / (time.perf_counter() - t0))
    rates.sort()
    print(f"torch {name} b{bs} thr{th}: {rates[1]:.0f} samples/s (runs {', '.join(f'{r:.0f}' for r in rates)})", flush=True)
if "--inference" in sys.argv:
    for name in names:
        key, shape, bs, lk = cfg[name]
        model = makers[key](); model.eval()
        xs = [torch.randn(bs, *shape) for _ in range(4)]
        def fwd(i):
            with torch.inference_mode(): model(xs[i % 4])
        for i in range(5): fwd(i)
        t0 = time.perf_counter()
        for i in range(5): fwd(i)
        n = max(5, int(secs / 2 / ((time.perf_counter() - t0) / 5)))
        rates = []
        for _ in range(3):
            t0 = time.perf_counter()
            for i in range(n): fwd(i)
            rates.append(bs * n / (time.perf_counter() - t0))
        rates.sort()
        print(f"torch-infer {name} b{bs} thr{th}: {rates[1]:.0f} samples/s", flush=True)
