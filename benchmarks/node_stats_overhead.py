"""Trainer speed with per-node statistics (NodeStatsRecorder) against without (goal >= 0.97).

Both arms are the same Trainer run on the same compiled sample graph, weights and in-memory data
(the quickstart MLP at 28x28, LeNet at 32x32; shapes dataset, no validation split so only
training steps are timed); the "stats" arm also attaches a NodeStatsRecorder writing
node_stats.csv to a temporary folder, with its default adaptive interval. Runs are interleaved
(off, on, on, off, ...) so drift in machine load hits both; the ratio stats/off of samples/s is
taken per pair, best and median printed, for wall time and for CPU time of this process. On a
loaded machine those ratios swing by more than the few per cent measured, so the recorder's own
account is printed too: the seconds spent inside its sampling hooks as a share of the run's wall
time ("hooks"), which isolates the cost of sampling from the noise of the comparison.

With ``--control`` an A/A row is added: the same pairs with statistics off in both arms, so the
spread of its ratios is the noise of this machine.

    .venv/bin/python benchmarks/node_stats_overhead.py [--repeats 7] [--epochs 2] [--n 4000]
        [--models mlp lenet] [--control]
"""

from __future__ import annotations

import argparse
import copy
import statistics
import tempfile
import time
from pathlib import Path

import torch
from torch import nn

import nodeml
from nodeml.core.serialize import graph_to_dict
from nodeml.core.training import Trainer, TrainingConfig
from nodeml.core.training.datasets import LoadedData, TensorData, first_samples, load_dataset
from nodeml.core.training.node_stats import NodeStatsRecorder

SAMPLES = Path(__file__).resolve().parents[1] / "sample_graphs"
CASES = {"mlp": ("quickstart_mlp", 28), "lenet": ("lenet", 32)}


def case(name: str, n: int) -> tuple[nn.Module, dict, LoadedData]:
    sample, size = CASES[name]
    graph = nodeml.load_graph(SAMPLES / f"{sample}.json")
    torch.manual_seed(0)
    model = nodeml.compile_graph(graph)
    options = {"image_size": size, "channels": 1, "n": n}
    loaded = load_dataset(TrainingConfig(dataset="shapes", dataset_options=options, val_split=0))
    x, y = first_samples(loaded.train, n)
    data = LoadedData(TensorData(x, y), None, None, loaded.info)
    return model, graph_to_dict(graph), data


def timed_run(
    model: nn.Module, graph: dict, data: LoadedData, args: argparse.Namespace, stats: bool
) -> tuple[float, float, int, int, float]:
    """(samples/s wall, samples/s CPU, statistics samples taken, last interval, hooks share)."""
    config = TrainingConfig(
        dataset="shapes", epochs=args.epochs, batch_size=args.batch_size, val_split=0, device="cpu"
    )
    trainer = Trainer(model, config, data, graph=graph)
    trainer.step_ended.connect(lambda e: None)  # a subscriber, as the UI and CLI have
    taken = [0]
    with tempfile.TemporaryDirectory() as folder:
        recorder = NodeStatsRecorder(trainer, folder) if stats else None
        if recorder is not None:
            recorder.sampled.connect(lambda e: taken.__setitem__(0, taken[0] + 1))
        start, cpu = time.perf_counter(), time.process_time()
        trainer.run()
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    seen = len(data.train) * args.epochs  # type: ignore[arg-type]
    if recorder is None:
        return seen / wall, seen / cpu, 0, 0, 0.0
    return seen / wall, seen / cpu, taken[0], recorder.interval or 0, recorder.seconds / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--models", nargs="+", default=list(CASES), choices=list(CASES))
    parser.add_argument("--control", action="store_true", help="add an A/A row (stats off twice)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(
        f"torch {torch.__version__}, 1 thread, {args.n} samples, batch {args.batch_size}, "
        f"{args.epochs} epochs/run, {args.repeats} interleaved pairs"
    )
    rows = [(name, True) for name in args.models]
    if args.control:
        rows.append((args.models[-1], False))
    for name, watched in rows:
        base, graph, data = case(name, args.n)
        ratios, cpu_ratios, rates, taken, interval = [], [], {"off": [], "stats": []}, 0, 0
        shares = []
        for rep in range(args.repeats):
            order = (False, True) if rep % 2 == 0 else (True, False)
            got = {}
            for stats in order:
                got[stats] = timed_run(copy.deepcopy(base), graph, data, args, stats and watched)
            rates["off"].append(got[False][0])
            rates["stats"].append(got[True][0])
            ratios.append(got[True][0] / got[False][0])
            cpu_ratios.append(got[True][1] / got[False][1])
            taken, interval = got[True][2], got[True][3]
            shares.append(got[True][4])
        steps = -(-len(data.train) // args.batch_size) * args.epochs  # type: ignore[arg-type]
        label = name if watched else f"A/A {name}"
        print(
            f"{label:9s} off {statistics.median(rates['off']):6.0f} samples/s, stats "
            f"{statistics.median(rates['stats']):6.0f} samples/s ({taken} samples in {steps} "
            f"steps, last interval {interval}) | wall ratio best {max(ratios):.3f} median "
            f"{statistics.median(ratios):.3f} | CPU-time ratio best {max(cpu_ratios):.3f} "
            f"median {statistics.median(cpu_ratios):.3f} | hooks {statistics.median(shares):.1%} "
            "of wall time (median)"
        )


if __name__ == "__main__":
    main()
