"""Training throughput of `nodeml train --nproc 2` (torchrun, DDP, gloo) against one process.

The work: a sample graph trained by the real command (`python -m nodeml train GRAPH --out RUN
--no-node-stats`, with `--nproc 2` for the two-process runs) on its built-in dataset for a few
epochs. Throughput is read from the run folder the command writes: training samples per epoch
over the epoch's own seconds (metrics.csv; the training pass only, not validation, start-up or
checkpoints), the first epoch left out as warm-up. Each process of `--nproc 2` trains
`--batch-size` samples a step (the launcher gives each one cpu_count / 2 threads); the
one-process rows use torch's default threads ("1 process") and one thread ("1 x 1 thread",
the per-process share, so the difference from it is DDP's own cost).

Configurations are run in turn (1, 1x1, 2, 1, 1x1, 2, ...) so load drift hits all of them; "best"
is the fastest epoch of all repeats, "median" the median epoch. Ratios are two processes / one
process. Wall time; say how loaded the machine was.

    python benchmarks/ddp_scaling.py [--repeats 3] [--epochs 3] [--models lenet,quickstart_mlp]
                                     [--samples 6000] [--batch-size 64] [--tree PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = {
    "1 process": ([], {}),
    "1 x 1 thread": ([], {"OMP_NUM_THREADS": "1"}),
    "2 processes (gloo)": (["--nproc", "2"], {}),
}


def graph_for(tree: Path, model: str, folder: Path, samples: int, epochs: int, batch: int) -> Path:
    graph = json.loads((tree / "sample_graphs" / f"{model}.json").read_text())
    training = dict(graph.get("training") or {})
    options = dict(training.get("dataset_options") or {})
    options["n"] = samples
    training.update(dataset_options=options, epochs=epochs, batch_size=batch)
    path = folder / f"{model}.json"
    path.write_text(json.dumps({**graph, "training": training}))
    return path


def run_once(
    tree: Path, graph: Path, run: Path, flags: list[str], env: dict[str, str]
) -> list[float]:
    """samples/s of each epoch after the first, as the run folder records them."""
    command = [sys.executable, "-m", "nodeml", "train", str(graph), "--out", str(run)]
    full = {**os.environ, "PYTHONPATH": str(tree), **env}
    result = subprocess.run(
        [*command, "--no-node-stats", *flags], env=full, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command + flags)} failed:\n{result.stdout}{result.stderr}")
    settings = json.loads((run / "settings.json").read_text())
    with open(run / "metrics.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    # the training split: what one epoch trains on, whatever the number of processes
    samples = round(settings["training"]["dataset_options"]["n"] * (1 - _val_split(settings)))
    return [samples / float(row["seconds"]) for row in rows[1:]]


def _val_split(settings: dict) -> float:
    return float(settings["training"].get("val_split", 0.2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=3, help="per run; the first is warm-up")
    parser.add_argument("--models", default="lenet,quickstart_mlp")
    parser.add_argument("--samples", type=int, default=6000, help="dataset size (n)")
    parser.add_argument("--batch-size", type=int, default=64, help="per process")
    parser.add_argument("--tree", type=Path, default=ROOT, help="the nodeml checkout to measure")
    args = parser.parse_args()
    print(f"cpus: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for model in args.models.split(","):
            graph = graph_for(args.tree, model, folder, args.samples, args.epochs, args.batch_size)
            rates: dict[str, list[float]] = {name: [] for name in CONFIGS}
            for repeat in range(args.repeats):
                for index, (name, (flags, env)) in enumerate(CONFIGS.items()):
                    run = folder / f"{model}-{repeat}-{index}"
                    rates[name] += run_once(args.tree, graph, run, flags, env)
            print(f"\n{model} (batch {args.batch_size} per process, {args.samples} samples)")
            print(f"{'':<22}{'best samples/s':>16}{'median':>10}")
            for name, values in rates.items():
                print(f"{name:<22}{max(values):>16.0f}{statistics.median(values):>10.0f}")
            two = rates["2 processes (gloo)"]
            for base in ("1 process", "1 x 1 thread"):
                one = rates[base]
                ratio_best = max(two) / max(one)
                ratio_median = statistics.median(two) / statistics.median(one)
                print(f"2 processes / {base}: best {ratio_best:.2f}, median {ratio_median:.2f}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
