"""Training throughput of `nodeml train --nproc 2` (torchrun, DDP, gloo) against one process.

The work: a sample graph trained by the real command (`python -m nodeml train GRAPH --out RUN
--no-node-stats`, with `--nproc 2` for the two-process runs) on its built-in dataset for a few
epochs. Throughput is read from the run folder the command writes: training samples per epoch
over the epoch's own seconds (metrics.csv; the training pass only, not validation, start-up or
checkpoints), the first epoch left out as warm-up. Each process of `--nproc 2` trains
`--batch-size` samples a step (the launcher gives each one cpu_count / 2 threads); the
one-process rows use torch's default threads ("1 process") and one thread ("1 x 1 thread",
the per-process share, so the difference from it is DDP's own cost).

The "plain" rows are the baseline: a plain PyTorch loop (DistributedSampler, DataLoader,
DistributedDataParallel on gloo, the graph's optimizer and cross-entropy) over the same samples
and the same compiled model, in one process of one thread and in two processes under torchrun.
Their ratio is what DDP itself gives on this machine, so nodeml's own cost is the distance
between the two ratios.

Configurations are run in turn (1, 1x1, 2, plain 1x1, plain 2, 1, ...) so load drift hits all of
them; "best" is the fastest epoch of all repeats, "median" the median epoch. Ratios are two
processes / one process. Wall time; say how loaded the machine was.

``--agreement`` measures instead what agreeing on stop / pause costs: the same two-process run
with the processes agreeing after every step, after the k steps nodeml measures (the default),
and only at epoch ends. Besides samples/s (too noisy on a loaded machine to see a few per cent),
process 0 counts its agreements and the time spent in them: their share of the epochs' training
time is the cost, an upper bound (it includes waiting for the other process, which the next
gradient all-reduce would otherwise wait for).

    python benchmarks/ddp_scaling.py [--repeats 3] [--epochs 3] [--models lenet,quickstart_mlp]
                                     [--samples 6000] [--batch-size 64] [--tree PATH]
                                     [--agreement]
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
    "plain 1 x 1 thread": (["plain", "1"], {"OMP_NUM_THREADS": "1"}),
    "plain 2 processes": (["plain", "2"], {}),
}
# the baseline: a plain PyTorch DDP loop over the samples nodeml trains on (argv: graph, epochs)
PLAIN = """
import os, sys, time
import torch, torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler
import nodeml
from nodeml.core.training.config import TrainingConfig
from nodeml.core.training.datasets import TensorData, load_dataset
from nodeml.core.training.optim import make_optimizer

graph, epochs = nodeml.load_graph(sys.argv[1]), int(sys.argv[2])
config = TrainingConfig.from_dict(graph.extras["training"])
train = load_dataset(config).train
data = TensorDataset(TensorData.prepare(train.x), train.y)
world = int(os.environ.get("WORLD_SIZE", "1"))
if world > 1:
    dist.init_process_group("gloo")
torch.manual_seed(0)
model = nodeml.compile_graph(graph)
net = DistributedDataParallel(model) if world > 1 else model
optimizer = make_optimizer(model.parameters(), config)
sampler = DistributedSampler(data, seed=0) if world > 1 else None
loader = DataLoader(data, batch_size=config.batch_size, sampler=sampler, shuffle=sampler is None)
for epoch in range(epochs):
    if sampler is not None:
        sampler.set_epoch(epoch)
    started = time.perf_counter()
    for x, y in loader:
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(net(x), y).backward()
        optimizer.step()
    if world > 1:
        dist.barrier()
    if int(os.environ.get("RANK", "0")) == 0:
        print(f"EPOCH {len(data) / (time.perf_counter() - started)}", flush=True)
"""
# a torchrun worker running nodeml train with the agreement interval forced (argv[1])
AGREEING = """
import atexit, os, sys, time
from nodeml.core.training import process_group
spent = [0, 0.0]
agree = process_group.ProcessGroup.agree
def timed(self, step, stop, pause):
    started = time.perf_counter()
    try:
        return agree(self, step, stop, pause)
    finally:
        spent[0] += 1
        spent[1] += time.perf_counter() - started
process_group.ProcessGroup.agree = timed
if os.environ.get("RANK") == "0":
    atexit.register(lambda: print(f"AGREED {spent[0]} {spent[1]:.6f}", flush=True))
if sys.argv[1] == "every step":
    process_group.ProcessGroup._interval = lambda self, step, now: 1
elif sys.argv[1] == "epoch ends only":
    process_group.ProcessGroup._interval = lambda self, step, now: 10**9
from nodeml.cli import main
sys.exit(main(["train", *sys.argv[2:]]))
"""
AGREEMENTS = ("every step", "measured k", "epoch ends only")


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
    tree: Path, graph: Path, run: Path, flags: list[str], env: dict[str, str], agreeing: str = ""
) -> list[float]:
    """samples/s of each epoch after the first, as the run folder records them (with
    ``agreeing``, then the agreements' count, seconds, and the epochs' seconds)."""
    if flags[:1] == ["plain"]:
        return plain_once(tree, graph, run, int(flags[1]), env)
    command = [sys.executable, "-m", "nodeml", "train", str(graph), "--out", str(run)]
    if agreeing:  # torchrun straight onto the forcing script
        script = run.parent / "agreeing.py"
        script.write_text(AGREEING)
        launcher = [sys.executable, "-m", "torch.distributed.run", "--standalone"]
        command = [*launcher, "--nproc-per-node=2", str(script), agreeing, str(graph)]
        command += ["--out", str(run)]
        env = {"OMP_NUM_THREADS": str(max(1, (os.cpu_count() or 1) // 2)), **env}
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
    rates = [samples / float(row["seconds"]) for row in rows[1:]]
    if agreeing:
        line = next(x for x in result.stdout.splitlines() if x.startswith("AGREED "))
        count, seconds = line.split()[1:]
        rates += [float(count), float(seconds), sum(float(row["seconds"]) for row in rows)]
    return rates


def plain_once(tree: Path, graph: Path, run: Path, nproc: int, env: dict[str, str]) -> list[float]:
    """samples/s of each epoch after the first of the plain loop (PLAIN)."""
    run.mkdir(parents=True)
    script = run / "plain.py"
    script.write_text(PLAIN)
    epochs = json.loads(graph.read_text())["training"]["epochs"]
    command = [sys.executable, str(script), str(graph), str(epochs)]
    if nproc > 1:  # as nodeml's launcher does it: the cores shared out
        env = {"OMP_NUM_THREADS": str(max(1, (os.cpu_count() or 1) // nproc)), **env}
        launcher = [sys.executable, "-m", "torch.distributed.run", "--standalone"]
        command = [*launcher, f"--nproc-per-node={nproc}", *command[1:]]
    full = {**os.environ, "PYTHONPATH": str(tree), **env}
    result = subprocess.run(command, env=full, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    rates = [float(x.split()[1]) for x in result.stdout.splitlines() if x.startswith("EPOCH ")]
    return rates[1:]


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
    parser.add_argument("--agreement", action="store_true", help="the cost of agreeing on stop")
    args = parser.parse_args()
    print(f"cpus: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for model in args.models.split(","):
            graph = graph_for(args.tree, model, folder, args.samples, args.epochs, args.batch_size)
            if args.agreement:
                agreement(args, model, graph, folder)
                continue
            rates: dict[str, list[float]] = {name: [] for name in CONFIGS}
            for repeat in range(args.repeats):
                for index, (name, (flags, env)) in enumerate(CONFIGS.items()):
                    run = folder / f"{model}-{repeat}-{index}"
                    rates[name] += run_once(args.tree, graph, run, flags, env)
            print(f"\n{model} (batch {args.batch_size} per process, {args.samples} samples)")
            print(f"{'':<22}{'best samples/s':>16}{'median':>10}")
            for name, values in rates.items():
                print(f"{name:<22}{max(values):>16.0f}{statistics.median(values):>10.0f}")
            pairs = [
                ("2 processes (gloo)", "1 process"),
                ("2 processes (gloo)", "1 x 1 thread"),
                ("plain 2 processes", "plain 1 x 1 thread"),
            ]
            for two_name, one_name in pairs:
                two, one = rates[two_name], rates[one_name]
                ratio_best = max(two) / max(one)
                ratio_median = statistics.median(two) / statistics.median(one)
                print(f"{two_name} / {one_name}: best {ratio_best:.2f}, median {ratio_median:.2f}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def agreement(args: argparse.Namespace, model: str, graph: Path, folder: Path) -> None:
    rates: dict[str, list[float]] = {name: [] for name in AGREEMENTS}
    spent: dict[str, list[tuple[float, float, float]]] = {name: [] for name in AGREEMENTS}
    for repeat in range(args.repeats):
        for index, name in enumerate(AGREEMENTS):
            run = folder / f"{model}-agree-{repeat}-{index}"
            values = run_once(args.tree, graph, run, [], {}, agreeing=name)
            rates[name] += values[:-3]
            spent[name].append((values[-3], values[-2], values[-1]))
    print(f"\n{model}, 2 processes, agreeing on stop / pause (batch {args.batch_size})")
    head = f"{'':<18}{'best samples/s':>15}{'median':>8}{'agreements':>12}{'us each':>9}"
    print(head + f"{'share of training (median)':>28}")
    for name, values in rates.items():
        count = statistics.median(c for c, _, _ in spent[name])
        each = statistics.median(s / c * 1e6 for c, s, _ in spent[name])
        share = statistics.median(s / t for _, s, t in spent[name])
        print(
            f"{name:<18}{max(values):>15.0f}{statistics.median(values):>8.0f}"
            f"{count:>12.0f}{each:>9.0f}{share:>28.2%}"
        )


if __name__ == "__main__":
    main()
