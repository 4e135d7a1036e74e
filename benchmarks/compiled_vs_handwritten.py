"""Training-step speed of nodeml-compiled models against the same models written by hand.

For each sample (LeNet, the quickstart MLP, the residual block) both models get the same weights,
data and optimizer; one timed block is ``--steps`` iterations of zero_grad -> forward -> loss ->
backward -> step. The two models' blocks are interleaved (their order alternating each repeat) so
drift in machine load hits both alike; the ratio compiled / hand-written of each repeat is
collected. Printed: "best" = fastest compiled block / fastest hand-written block (the timeit
convention: the least disturbed run of each), and the median of the paired per-repeat ratios.
Goal: ratio <= 1.02.

    .venv/bin/python benchmarks/compiled_vs_handwritten.py [--repeats 41] [--steps 8] [--clock cpu|wall]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

import nodeml

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_graphs"
# the hand-written twins are the tests' reference models: one copy of each, attribute names
# equal to node ids so state_dicts are shared
sys.path.insert(0, str(ROOT / "tests" / "core"))
from reference_models import LeNet, QuickstartMLP, ResidualNet  # noqa: E402

# sample -> (hand-written class, input shape of one batch)
CASES: dict[str, tuple[Callable[[], nn.Module], tuple[int, ...]]] = {
    "lenet": (LeNet, (64, 1, 32, 32)),
    "quickstart_mlp": (QuickstartMLP, (64, 1, 28, 28)),
    "residual_block": (ResidualNet, (32, 1, 28, 28)),
}


# CPU time of this thread by default: with torch on one thread all the work is done here, and
# time other processes take from the core is not counted (a shared 2-core box stays measurable).
CLOCKS = {"cpu": time.thread_time, "wall": time.perf_counter}


def make_step(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, clock: Callable[[], float]
) -> Callable[[int], float]:
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def run(steps: int) -> float:
        start = clock()
        for _ in range(steps):
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
        return clock() - start

    return run


def measure(
    first: nn.Module,
    second: nn.Module,
    shape: tuple[int, ...],
    repeats: int,
    steps: int,
    clock: Callable[[], float],
) -> tuple[float, float, float, float]:
    """Time ``first`` against ``second``: (best-time ratio, median paired ratio, median ms/step
    of each)."""
    first.train()
    second.train()
    x = torch.randn(shape)
    y = torch.randint(0, 10, (shape[0],))
    runs = [make_step(first, x, y, clock), make_step(second, x, y, clock)]
    for run in runs:  # warm-up: allocator, kernels, optimizer state
        run(max(2, steps // 4))
    ratios: list[float] = []
    times: list[list[float]] = [[], []]
    for r in range(repeats):
        order = (0, 1) if r % 2 == 0 else (1, 0)
        got = {k: runs[k](steps) for k in order}
        ratios.append(got[0] / got[1])
        for k, t in got.items():
            times[k].append(t / steps * 1e3)
    return (
        min(times[0]) / min(times[1]),
        statistics.median(ratios),
        statistics.median(times[0]),
        statistics.median(times[1]),
    )


def compiled_and_hand(name: str, style: str = "modules") -> tuple[nn.Module, nn.Module]:
    """The sample compiled by nodeml and its hand-written twin, with the same weights."""
    torch.manual_seed(0)
    compiled = nodeml.compile_graph(nodeml.load_graph(SAMPLES / f"{name}.json"), style=style)
    hand = CASES[name][0]()
    hand.load_state_dict(compiled.state_dict(), strict=True)
    return compiled, hand


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=41)
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--clock", choices=list(CLOCKS), default="cpu")
    parser.add_argument("--models", nargs="*", default=list(CASES), choices=list(CASES))
    parser.add_argument(
        "--style",
        choices=("modules", "functional"),
        default="modules",
        help="code style to compile (the hand-written twins use F.relu etc., like 'functional')",
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(1)  # one core each: no thread-pool noise between the two runs
    print(
        f"torch {torch.__version__}, 1 thread, {args.clock} time, {args.style} style, "
        f"{args.repeats} repeats x {args.steps} steps"
    )
    print(f"{'model':<16}{'best ratio':>11}{'median':>9}{'compiled ms':>13}{'hand ms':>9}")
    clock = CLOCKS[args.clock]
    for name in args.models:
        compiled, hand = compiled_and_hand(name, args.style)
        best, median, c_ms, h_ms = measure(
            compiled, hand, CASES[name][1], args.repeats, args.steps, clock
        )
        print(f"{name:<16}{best:>11.3f}{median:>9.3f}{c_ms:>13.2f}{h_ms:>9.2f}")
    # the same hand-written LeNet against a copy of itself: how far from 1.0 noise alone goes
    _, hand = compiled_and_hand("lenet")
    twin = LeNet()
    twin.load_state_dict(hand.state_dict())
    best, median, a_ms, b_ms = measure(
        hand, twin, CASES["lenet"][1], args.repeats, args.steps, clock
    )
    print(f"{'control (A/A)':<16}{best:>11.3f}{median:>9.3f}{a_ms:>13.2f}{b_ms:>9.2f}")
    print("ratio = compiled / hand-written time per forward+backward+step; goal <= 1.02")
    print("control: hand-written LeNet vs an identical copy; its distance from 1 is the noise")


if __name__ == "__main__":
    main()
