"""Whole `nodeml train` command against a plain PyTorch script doing the same work (goal: <= 1.15x).

The work: a digits-sized CSV (1,797 rows, 64 integer pixel columns 0..16, 10 classes), read and
standardised on the training split, 80/20 split, a 64-64-10 MLP, Adam lr 0.001, batch 32,
30 epochs, validation loss and accuracy after every epoch, a line printed per epoch and the
trained weights saved at the end. The plain script is what a PyTorch user writes for that
(csv module, torch.randperm batches, no DataLoader); nodeml does it from a graph file and also
keeps its run folder (run.json, graph.json, settings.json, metrics.csv, last.pt, best.pt).

Both are timed as whole processes (interpreter start, imports, data, training, writing), run
alternately (plain, nodeml, nodeml, plain, ...) so load drift hits both; the ratio is taken per
pair. "best" is fastest nodeml / fastest plain, "median" the median of the paired ratios; wall
time and CPU time (user + sys of the child) are both printed, and `import torch` alone as the
floor every Python ML command pays. The CSV is generated (no scikit-learn needed); --sklearn
uses scikit-learn's real digits table when it is installed.

    python benchmarks/train_cli_vs_plain.py [--repeats 5] [--epochs 30] [--threads 1] [--sklearn]
                                             [--tree PATH]  (another checkout, to compare)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PLAIN = """
import csv, sys
import torch
from torch import nn

epochs, path = int(sys.argv[1]), sys.argv[2]
with open(path, newline="") as f:
    rows = list(csv.reader(f))[1:]
x = torch.tensor([[float(v) for v in r[:-1]] for r in rows])
y = torch.tensor([int(float(r[-1])) for r in rows])
torch.manual_seed(0)
perm = torch.randperm(len(x))
n_val = round(len(x) * 0.2)
x_val, y_val, x_tr, y_tr = x[perm[:n_val]], y[perm[:n_val]], x[perm[n_val:]], y[perm[n_val:]]
mean, std = x_tr.mean(0), x_tr.std(0).clamp_min(1e-6)
x_tr, x_val = (x_tr - mean) / std, (x_val - mean) / std
model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(epochs):
    model.train()
    order, total = torch.randperm(len(x_tr)), 0.0
    for i in range(0, len(x_tr), 32):
        idx = order[i : i + 32]
        optimizer.zero_grad()
        loss = loss_fn(model(x_tr[idx]), y_tr[idx])
        loss.backward()
        optimizer.step()
        total += loss.item()
    model.eval()
    with torch.no_grad():
        out = model(x_val)
        val_loss = loss_fn(out, y_val).item()
        acc = (out.argmax(1) == y_val).float().mean().item()
    print(f"epoch {epoch + 1}: train {total / -(-len(x_tr) // 32):.4f} val {val_loss:.4f} acc {acc:.4f}")
torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, "plain.pt")
"""


def write_csv(path: Path, use_sklearn: bool) -> str:
    if use_sklearn:
        try:
            from sklearn.datasets import load_digits
        except ImportError:
            sys.exit("--sklearn needs scikit-learn installed")
        data = load_digits()
        rows = [[int(v) for v in x] + [int(t)] for x, t in zip(data.data, data.target, strict=True)]
        source = "scikit-learn digits"
    else:  # digits-shaped: 10 blurry prototypes of 8x8 ink in 0..16, each sample a noisy copy
        rng = random.Random(0)
        protos = [[rng.choice((0, 0, 4, 12, 16)) for _ in range(64)] for _ in range(10)]
        rows = []
        for i in range(1797):
            k = i % 10
            pixels = [min(16, max(0, round(v + rng.gauss(0, 4)))) for v in protos[k]]
            rows.append([*pixels, k])
        source = "synthetic digits-sized table"
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow([f"pixel{i}" for i in range(64)] + ["digit"])
        out.writerows(rows)
    return source


def write_graph(path: Path, csv_path: Path, epochs: int) -> None:
    chain = ["x", "fc1", "act", "fc2", "out"]
    graph = {
        "format": "nodeml.graph",
        "version": 1,
        "name": "digits",
        "nodes": [
            {"id": "x", "type": "Input", "params": {"shape": [64]}},
            {"id": "fc1", "type": "Linear", "params": {"out_features": 64}},
            {"id": "act", "type": "ReLU"},
            {"id": "fc2", "type": "Linear", "params": {"out_features": 10}},
            {"id": "out", "type": "Output"},
        ],
        "edges": [{"source": a, "target": b} for a, b in zip(chain, chain[1:], strict=False)],
        "training": {
            "dataset": "csv",
            "dataset_options": {"path": str(csv_path), "task": "classification"},
            "loss": "cross_entropy",
            "optimizer": "adam",
            "lr": 0.001,
            "epochs": epochs,
            "batch_size": 32,
            "val_split": 0.2,
            "seed": 0,
            "device": "cpu",
        },
    }
    path.write_text(json.dumps(graph, indent=1))


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + sys) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{proc.stdout}\n{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument(
        "--threads", type=int, default=1, help="OMP threads for both (0: torch's default)"
    )
    parser.add_argument("--sklearn", action="store_true", help="scikit-learn's digits table")
    parser.add_argument(
        "--tree", type=Path, default=ROOT, help="the nodeml source tree to time (default: this one)"
    )
    args = parser.parse_args()

    env = {**os.environ, "PYTHONPATH": str(args.tree.resolve())}
    if args.threads:
        env.update(OMP_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = write_csv(work / "digits.csv", args.sklearn)
        write_graph(work / "digits.json", work / "digits.csv", args.epochs)
        (work / "plain.py").write_text(PLAIN)
        commands = {
            "plain": [sys.executable, "plain.py", str(args.epochs), "digits.csv"],
            "nodeml": [sys.executable, "-m", "nodeml", "train", "digits.json"],
            "import torch": [sys.executable, "-c", "import torch"],
        }
        times: dict[str, list[tuple[float, float]]] = {k: [] for k in commands}
        timed(commands["plain"], work, env)  # warm the file cache for both
        timed(commands["nodeml"], work, env)
        for rep in range(args.repeats):
            order = ["plain", "nodeml"] if rep % 2 == 0 else ["nodeml", "plain"]
            for name in [*order, "import torch"]:
                times[name].append(timed(commands[name], work, env))

    load = os.getloadavg()
    print(
        f"{source}, {args.epochs} epochs, threads={args.threads or 'default'}, "
        f"{args.repeats} pairs, load average {load[0]:.1f} / {load[1]:.1f}"
    )
    for name, runs in times.items():
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(
            f"  {name:13s} wall best {min(walls):6.2f} s median {statistics.median(walls):6.2f} s"
            f" | CPU best {min(cpus):6.2f} s median {statistics.median(cpus):6.2f} s"
        )
    for i, clock in enumerate(("wall", "CPU")):
        plain = [r[i] for r in times["plain"]]
        ours = [r[i] for r in times["nodeml"]]
        paired = [a / b for a, b in zip(ours, plain, strict=True)]
        print(
            f"nodeml / plain ({clock}): best {min(ours) / min(plain):.3f}, "
            f"median {statistics.median(paired):.3f}  (goal <= 1.15)"
        )


if __name__ == "__main__":
    main()
