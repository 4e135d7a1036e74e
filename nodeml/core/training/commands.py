"""``nodeml train`` and ``nodeml evaluate``: headless training with a terminal progress bar."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from ..checkpoint import load_checkpoint, load_model_state, save_checkpoint
from ..errors import NodemlError, TrainingError
from ..graph import Graph
from ..serialize import graph_to_dict, load_graph
from .config import DEVICES, TrainingConfig
from .datasets import LoadedData, check_input, load_dataset
from .device import seed_everything
from .evaluation import evaluate_model
from .events import EpochEnded, Finished, RunStarted, StepEnded
from .node_stats import NodeStatsRecorder
from .runs import RunRecorder, new_run_dir
from .task_hint import task_hint
from .trainer import Trainer


def add_commands(subparsers: Any) -> None:
    """Register ``train`` and ``evaluate`` on the main parser's subparsers."""
    train = subparsers.add_parser(
        "train",
        help="train a graph on a dataset (defaults from the graph's training section)",
        description='Train GRAPH headless. Settings come from the graph file\'s "training" '
        "section; the flags override them. Writes runs/<graph>-<time>/ (metrics.csv, "
        "settings.json, last.pt, best.pt).",
    )
    train.add_argument("graph", metavar="GRAPH", help="graph file (.json)")
    train.add_argument(
        "--dataset", metavar="NAME", help="dataset name, e.g. spirals, shapes, mnist"
    )
    train.add_argument("--epochs", type=int, metavar="N", help="total epochs (also when resuming)")
    train.add_argument("--batch-size", type=int, metavar="B")
    train.add_argument("--lr", type=float, metavar="LR", help="learning rate")
    train.add_argument("--optimizer", metavar="NAME", help="sgd, adam, adamw, rmsprop or adagrad")
    train.add_argument("--device", choices=DEVICES, help="where to train (default: auto)")
    train.add_argument(
        "--seed", type=int, metavar="S", help="seed for initialisation, shuffling, dropout"
    )
    train.add_argument("--out", metavar="RUN_DIR", help="run folder (default: runs/<graph>-<time>)")
    train.add_argument("--resume", metavar="CKPT", help="continue from a checkpoint (last.pt)")
    train.add_argument(
        "--no-node-stats",
        action="store_true",
        help="skip the per-node statistics and health warnings (node_stats.csv)",
    )
    train.add_argument(
        "--nproc",
        type=int,
        metavar="N",
        help="N processes with DistributedDataParallel: runs the exported training script "
        "(train.py in the run folder) through torchrun",
    )
    train.set_defaults(func=train_command)

    evaluate = subparsers.add_parser(
        "evaluate", help="loss and metrics of a checkpoint on the test split"
    )
    evaluate.add_argument("graph", metavar="GRAPH", help="graph file (.json)")
    evaluate.add_argument("checkpoint", metavar="CKPT", help="checkpoint (.pt) trained from GRAPH")
    evaluate.add_argument("--split", choices=("test", "val", "train"), default="test")
    evaluate.add_argument("--device", choices=DEVICES)
    evaluate.set_defaults(func=evaluate_command)


def train_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        return _train(args, out)
    except NodemlError as exc:
        _print_error("train", exc)
        return 1


def evaluate_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        return _evaluate(args, out)
    except NodemlError as exc:
        _print_error("evaluate", exc)
        return 1


def _print_error(command: str, exc: NodemlError) -> None:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()] or [type(exc).__name__]
    for line in lines:
        print(f"nodeml {command}: {line}", file=sys.stderr)


def _compile(graph: Graph) -> Any:
    from ..compile import compile_graph

    return compile_graph(graph)


def _checked_data(config: TrainingConfig, graph: Graph) -> LoadedData:
    data = load_dataset(config, task_hint(graph, config))
    problems = check_input(data.info, graph)
    if problems:
        raise TrainingError("; ".join(str(p) for p in problems))
    return data


def _train(args: argparse.Namespace, out: TextIO) -> int:
    if getattr(args, "nproc", None) is not None:
        from .distributed import run_torchrun  # loads the exporters only when asked

        return run_torchrun(args, out)
    graph = load_graph(args.graph)
    checkpoint = load_checkpoint(args.resume) if args.resume else None
    # resuming keeps the checkpoint's settings (same seed, split, schedule) unless a flag changes one
    base = checkpoint.get("training") if checkpoint else graph.extras.get("training")
    config = TrainingConfig.from_dict(base)
    if args.dataset and args.dataset != config.dataset:
        config = config.replace(
            dataset=args.dataset, dataset_options={}
        )  # options were for the other
    config = config.replace(
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        optimizer=args.optimizer,
        device=args.device,
        seed=args.seed,
    )
    data = _checked_data(config, graph)
    if config.seed is not None:
        seed_everything(config.seed)  # the initial weights are part of a reproducible run
    model = _compile(graph)
    trainer = Trainer(model, config, data, graph=graph_to_dict(graph))
    if checkpoint is not None:
        trainer.load_state_dict(checkpoint)
        if trainer.epoch >= config.epochs:
            raise TrainingError(
                f"the checkpoint has already trained {trainer.epoch} epochs; ask for more with "
                f"--epochs {trainer.epoch + 5}"
            )
    run_dir = Path(args.out) if args.out else new_run_dir("runs", graph.name)
    recorder = RunRecorder(trainer, run_dir)
    ProgressBar(trainer, out)
    if not args.no_node_stats:
        stats = NodeStatsRecorder(trainer, run_dir)
        stats.warned.connect(lambda w: print(f"warning: {w}", file=out))
    with _stop_on_interrupt(trainer, out):
        result = trainer.run()
    if result.reason == "stopped":
        # stopped between batches, so this state resumes exactly at the next batch
        save_checkpoint(recorder.last, trainer.state_dict())
        print(f"stopped; resume with: nodeml train {args.graph} --resume {recorder.last}", file=out)
    _summary(result, trainer, run_dir, out)
    return 0


@contextlib.contextmanager
def _stop_on_interrupt(trainer: Trainer, out: TextIO) -> Iterator[None]:
    """The first Ctrl-C stops cooperatively after the current batch; a second one aborts."""

    def on_interrupt(signum: int, frame: Any) -> None:
        if trainer._stop:
            raise KeyboardInterrupt
        trainer.stop()
        print("\nstopping after this batch (Ctrl-C again to abort)", file=out)

    try:
        previous = signal.signal(signal.SIGINT, on_interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _summary(result: Finished, trainer: Trainer, run_dir: Path, out: TextIO) -> None:
    print(f"{result.reason}: {result.epochs_done} epochs, {result.step} steps", file=out)
    if result.history:
        last = result.history[-1]
        shown = ", ".join(
            f"{k} {v:.4g}" for k, v in last.items() if k.startswith(("train_", "val_"))
        )
        print(f"final: {shown}", file=out)
        if trainer.best_loss < float("inf"):
            print(f"best loss: {trainer.best_loss:.4g}", file=out)
    print(f"run folder: {run_dir}", file=out)


def _evaluate(args: argparse.Namespace, out: TextIO) -> int:
    graph = load_graph(args.graph)
    checkpoint = load_checkpoint(args.checkpoint)
    config = TrainingConfig.from_dict(checkpoint.get("training") or graph.extras.get("training"))
    config = config.replace(device=args.device)
    data = _checked_data(config, graph)
    model = _compile(graph)
    load_model_state(model, checkpoint["model"])
    result = evaluate_model(model, config, data, split=args.split)
    print(f"{config.dataset} {result.split} split, {len(result.targets)} samples", file=out)
    for name, value in result.metrics.items():
        print(f"  {name}: {value:.4f}", file=out)
    if result.confusion is not None and len(result.confusion) <= 10:
        print("confusion matrix (rows: true class, columns: predicted):", file=out)
        for name, row in zip(
            result.classes or range(len(result.confusion)), result.confusion.tolist(), strict=False
        ):
            print(f"  {str(name)[:12]:>12} " + " ".join(f"{v:5d}" for v in row), file=out)
    return 0


class ProgressBar:
    """One line per epoch on any stream; on a terminal also a live bar redrawn in place."""

    def __init__(self, trainer: Trainer, out: TextIO, width: int = 24):
        self.out, self.width = out, width
        self.live = hasattr(out, "isatty") and out.isatty()
        self.epochs = 0
        self.last_draw = 0.0
        trainer.started.connect(self._started)
        trainer.step_ended.connect(self._step)
        trainer.epoch_ended.connect(self._epoch)

    def _started(self, e: RunStarted) -> None:
        self.epochs = e.epochs
        resumed = f", resuming after epoch {e.start_epoch}" if e.start_epoch else ""
        print(
            f"training on {e.device} ({e.device_name}): {e.info.describe()}; loss {e.loss}, "
            f"{e.steps_per_epoch} steps per epoch{resumed}",
            file=self.out,
        )
        for note in e.notes:
            print(f"note: {note}", file=self.out)

    def _step(self, e: StepEnded) -> None:
        now = time.monotonic()
        if not self.live or (now - self.last_draw < 0.1 and e.batch != e.batches):
            return  # redrawing faster than the eye reads only slows training
        self.last_draw = now
        filled = int(self.width * e.batch / max(1, e.batches))
        bar = "#" * filled + "-" * (self.width - filled)
        self.out.write(
            f"\repoch {e.epoch + 1}/{self.epochs} [{bar}] {e.batch}/{e.batches} loss {e.loss:.4f} "
            f"{e.samples_per_s:,.0f} samples/s ETA {_clock(e.eta_s)} "
        )
        self.out.flush()

    def _epoch(self, e: EpochEnded) -> None:
        if self.live:
            self.out.write("\r\x1b[K")
        parts = [f"epoch {e.epoch + 1}/{self.epochs}"]
        parts += [f"train {k} {v:.4f}" for k, v in e.train.items()]
        parts += [f"val {k} {v:.4f}" for k, v in (e.val or {}).items()]
        parts.append(f"lr {e.lr:.3g}, {e.seconds:.1f}s" + (" *" if e.improved else ""))
        print(", ".join(parts), file=self.out)


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
