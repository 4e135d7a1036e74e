"""Reading a 100,000-row CSV: nodeml's csv dataset against a plain csv.reader + float() loop.

Run: .venv/bin/python benchmarks/csv_reading.py [--rows N] [--features F] [--repeats R]
Prints each reader's best and median wall time and nodeml / plain ratios; the two readers are
interleaved (order alternating) so load from other processes hits both alike.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nodeml.core.training.datasets import TaskHint, dataset_spec  # noqa: E402


def write_table(path: Path, rows: int, features: int) -> None:
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(rows, features, generator=gen).tolist()
    y = torch.randint(0, 10, (rows,), generator=gen).tolist()
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow([f"f{j}" for j in range(features)] + ["label"])
        for values, label in zip(x, y, strict=True):
            out.writerow([f"{v:.6g}" for v in values] + [label])


def plain(path: Path) -> tuple[torch.Tensor, torch.Tensor]:
    """What a hand-written loader does: no checks, whole numbers taken as class indexes."""
    with path.open(newline="") as f:
        reader = csv.reader(f)
        next(reader)
        xs, ys = [], []
        for row in reader:
            xs.append([float(v) for v in row[:-1]])
            ys.append(int(row[-1]))
    return torch.tensor(xs), torch.tensor(ys)


def nodeml(path: Path) -> tuple[torch.Tensor, torch.Tensor]:
    spec = dataset_spec("csv")
    options = {**spec.options, "path": str(path)}
    raw = spec.build(options, TaskHint(output_width=10))
    return raw.train.x, raw.train.y


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--features", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "table.csv"
        write_table(path, args.rows, args.features)
        size = path.stat().st_size / 1e6
        a, b = nodeml(path), plain(path)  # warm up; and the two must agree
        assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1]), "readers disagree"
        times: dict[str, list[float]] = {"nodeml": [], "plain": []}
        readers = {"nodeml": nodeml, "plain": plain}
        for r in range(args.repeats):
            order = ["nodeml", "plain"] if r % 2 == 0 else ["plain", "nodeml"]
            for name in order:
                start = time.perf_counter()
                readers[name](path)
                times[name].append(time.perf_counter() - start)
    ratios = [n / p for n, p in zip(times["nodeml"], times["plain"], strict=True)]
    print(f"{args.rows:,} rows x {args.features} features + label, {size:.1f} MB")
    for name, ts in times.items():
        print(f"  {name:7} best {min(ts):.3f} s  median {statistics.median(ts):.3f} s")
    print(
        f"  nodeml / plain: best {min(times['nodeml']) / min(times['plain']):.2f}, "
        f"median of paired ratios {statistics.median(ratios):.2f}"
    )


if __name__ == "__main__":
    main()
