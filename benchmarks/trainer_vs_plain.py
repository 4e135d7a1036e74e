"""Trainer samples/s against a plain hand-written PyTorch loop on the same model and data (goal >= 0.97).

The plain loop is the one the PyTorch tutorials teach, with the fastest batching there is for
in-memory data (index the tensors with a random permutation, no DataLoader):

    for i in range(0, n, bs):
        idx = perm[i:i + bs]
        optimizer.zero_grad(); loss = loss_fn(model(x[idx]), y[idx]); loss.backward()
        optimizer.step(); running += loss.item()

The Trainer does the same step plus its DataLoader, per-batch events, metrics and timing.
Runs are interleaved (plain, trainer, trainer, plain, ...) so drift in machine load hits both;
the ratio is taken per pair, and best and median are printed, for wall-clock samples/s and for
samples per CPU-second of this process (the latter barely moves when other jobs load the machine).

    python benchmarks/trainer_vs_plain.py [--repeats 7] [--epochs 2] [--threads 1 2]
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time

import torch
from torch import nn

from nodeml.core.training import Trainer, TrainingConfig
from nodeml.core.training.datasets import (
    DatasetInfo,
    LoadedData,
    TensorData,
    first_samples,
    load_dataset,
)


def models() -> dict[str, nn.Module]:
    torch.manual_seed(0)
    mlp = nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 256),
        nn.ReLU(),
        nn.Linear(256, 128),
        nn.ReLU(),
        nn.Linear(128, 10),
    )
    lenet = nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )  # fmt: skip
    return {"mlp": mlp, "lenet": lenet}


def shared_data(n: int) -> tuple[torch.Tensor, torch.Tensor, LoadedData]:
    """Float tensors (raw images in [0, 1]), so both loops feed the model identical bytes."""
    loaded = load_dataset(TrainingConfig(dataset="shapes", dataset_options={"n": n}, val_split=0))
    x, y = first_samples(loaded.train, n)
    info: DatasetInfo = loaded.info
    return x, y, LoadedData(TensorData(x, y), None, None, info)


def plain(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, epochs: int, bs: int, lr: float
) -> tuple[float, float]:
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(0)
    n = len(x)
    start, cpu = time.perf_counter(), time.process_time()
    model.train()
    for _ in range(epochs):
        perm = torch.randperm(n, generator=gen)
        running = 0.0
        for i in range(0, n, bs):
            idx = perm[i : i + bs]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
            running += loss.item()
    return n * epochs / (time.perf_counter() - start), n * epochs / (time.process_time() - cpu)


def trainer(
    model: nn.Module, data: LoadedData, epochs: int, bs: int, lr: float
) -> tuple[float, float]:
    config = TrainingConfig(
        dataset="shapes", epochs=epochs, batch_size=bs, lr=lr, val_split=0, device="cpu"
    )
    t = Trainer(model, config, data)
    t.step_ended.connect(lambda e: None)  # a subscriber, as the UI and CLI have
    n = len(data.train)  # type: ignore[arg-type]
    start, cpu = time.perf_counter(), time.process_time()
    t.run()
    return n * epochs / (time.perf_counter() - start), n * epochs / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--n", type=int, default=4000)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, torch.get_num_threads()])
    args = parser.parse_args()
    x, y, data = shared_data(args.n)
    print(
        f"torch {torch.__version__}, {args.n} samples 1x28x28, batch {args.batch_size}, {args.epochs} epochs/run, {args.repeats} pairs"
    )
    for threads in dict.fromkeys(args.threads):
        torch.set_num_threads(threads)
        for name, base in models().items():
            ratios, cpu_ratios, plain_rates, trainer_rates = [], [], [], []
            for rep in range(args.repeats):
                order = ("plain", "trainer") if rep % 2 == 0 else ("trainer", "plain")
                rates = {}
                for which in order:
                    model = copy.deepcopy(base)
                    if which == "plain":
                        rates[which] = plain(model, x, y, args.epochs, args.batch_size, 1e-3)
                    else:
                        rates[which] = trainer(model, data, args.epochs, args.batch_size, 1e-3)
                plain_rates.append(rates["plain"][0])
                trainer_rates.append(rates["trainer"][0])
                ratios.append(rates["trainer"][0] / rates["plain"][0])
                cpu_ratios.append(rates["trainer"][1] / rates["plain"][1])
            print(
                f"threads={threads} {name:6s} plain {statistics.median(plain_rates):7.0f} samples/s, "
                f"trainer {statistics.median(trainer_rates):7.0f} samples/s | wall ratio best "
                f"{max(ratios):.3f} median {statistics.median(ratios):.3f} | CPU-time ratio best "
                f"{max(cpu_ratios):.3f} median {statistics.median(cpu_ratios):.3f}"
            )


if __name__ == "__main__":
    main()
