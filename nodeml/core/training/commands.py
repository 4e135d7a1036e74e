"""``nodeml train``, ``evaluate`` and ``runs``: headless training into run folders beside the graph."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from ..checkpoint import CheckpointMismatchError, StateDiff, load_checkpoint, load_model_state
from ..errors import NodemlError, TrainingError, report_error
from ..graph import Graph
from ..serialize import graph_from_dict, graph_to_dict, load_graph
from .config import DEVICES, TrainingConfig
from .data_paths import resolve_data_paths
from .datasets import InputMismatchError, LoadedData, check_input, load_dataset
from .defaults import training_config
from .device import seed_everything
from .evaluation import evaluate_model
from .events import Finished, FinishReason
from .launcher import LAUNCH_OPTIONS, add_launch_options, launch
from .live import LiveFeed
from .node_stats import NodeStatsRecorder
from .process_group import (
    ProcessGroup,
    SingleProcess,
    TorchrunEnv,
    join_process_group,
    torchrun_env,
)
from .progress import ProgressBar
from .resumption import FIXED
from .run_folder import check_new_run_folder, new_run_dir, run_stem, runs_root
from .run_registry import graph_runs, run_lines
from .runs import RunRecorder
from .setting_changes import graph_changes, setting_changes, show
from .task_hint import task_hint
from .trainer import Trainer
from .worker import ended_by_sigterm, live_progress, node_control, rank_prefix, speaking


def add_commands(subparsers: Any) -> None:
    """Register ``train``, ``evaluate`` and ``runs`` on the main parser's subparsers."""
    train = subparsers.add_parser(
        "train",
        help="train a graph on a dataset (defaults from the graph's training section)",
        description='Train GRAPH headless. Settings come from the graph file\'s "training" '
        "section; the flags override them. Each run gets a new folder beside the graph, "
        "runs/<graph>-<time>/ (run.json, graph.json, settings.json, metrics.csv, last.pt, "
        "best.pt), whatever the working directory.",
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
    train.add_argument(
        "--out",
        metavar="RUN_DIR",
        help="a new (or empty) folder for the run (default: runs/<graph>-<time> beside GRAPH)",
    )
    train.add_argument(
        "--resume",
        metavar="CKPT",
        help="continue a run from its checkpoint (RUN/last.pt) in a new run folder; changed "
        "flags (--lr, --epochs, --batch-size, ...) take effect",
    )
    train.add_argument(
        "--weights", metavar="CKPT", help="start a new run from a checkpoint's weights"
    )
    train.add_argument(
        "--partial",
        action="store_true",
        help="with --weights: load the weights that fit the graph and keep the rest as initialised",
    )
    train.add_argument("--name", metavar="TEXT", help='the run\'s name (default "<graph> #N")')
    train.add_argument("--note", metavar="TEXT", default="", help="a note kept with the run")
    train.add_argument(
        "--tensorboard",
        action="store_true",
        help="also write TensorBoard event files into the run folder (needs tensorboard)",
    )
    train.add_argument(
        "--no-node-stats",
        action="store_true",
        help="skip the per-node statistics and health warnings (node_stats.csv)",
    )
    stands_for = train.add_mutually_exclusive_group()
    stands_for.add_argument(
        "--as-file",
        metavar="PATH",
        help="GRAPH is a copy of the graph file PATH (the app's open document): the run goes in "
        "PATH's runs folder and is listed with PATH's runs, and data paths are read beside PATH",
    )
    stands_for.add_argument(
        "--unsaved",
        action="store_true",
        help="GRAPH is a copy of a graph never saved: the run records no graph file, its folder "
        "goes in the user data folder, and data paths are read from the working directory",
    )
    add_launch_options(train)
    train.set_defaults(func=train_command)

    evaluate = subparsers.add_parser(
        "evaluate",
        help="loss and metrics of a checkpoint on the test split",
        usage="nodeml evaluate [-h] [--split {test,val,train}] [--device DEVICE] [--partial] "
        "[GRAPH] CKPT",
        description="Evaluate CKPT. Alone, with the graph and settings it was trained with (a "
        "checkpoint carries them); with GRAPH, with that graph and its training section, saying "
        "what differs from the checkpoint's.",
    )
    evaluate.add_argument(
        "files",
        nargs="+",
        metavar="CKPT",
        help="a checkpoint (.pt), or a graph file then a checkpoint",
    )
    evaluate.add_argument("--split", choices=("test", "val", "train"), default="test")
    evaluate.add_argument("--device", choices=DEVICES)
    evaluate.add_argument(
        "--partial", action="store_true", help="load the weights that fit the graph, not all"
    )
    evaluate.set_defaults(func=evaluate_command)

    runs = subparsers.add_parser(
        "runs", help="list a graph's runs (the runs/ folder beside it), oldest first"
    )
    runs.add_argument("graph", metavar="GRAPH", help="graph file (.json)")
    runs.add_argument("--json", action="store_true", help="print machine-readable JSON")
    runs.set_defaults(func=runs_command)


def _train_actions() -> list[argparse.Action]:
    """The train command's options, as its parser holds them (the launcher passes them all on)."""
    parser = argparse.ArgumentParser()
    add_commands(parser.add_subparsers())
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(subparsers.choices["train"]._actions)


def train_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        return _train(args, out)
    except NodemlError as exc:  # said by every process of a torchrun job, each with its rank
        report_error("train", exc, rank_prefix(torchrun_env()))
        return 1


def evaluate_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    return _evaluate(args, out or sys.stdout)


def runs_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    records = graph_runs(args.graph)
    if not records and not Path(args.graph).is_file():  # a typo must not read as "no runs yet"
        print(f"nodeml runs: {args.graph}: no such graph file", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps([r.to_json() for r in records], indent=2), file=out)
        return 0
    if not records:
        print(f"no runs of {args.graph} yet (they go in {runs_root(args.graph)})", file=out)
        return 0
    for record in records:
        print("\n".join(run_lines(record)), file=out)
    return 0


def _compile(graph: Graph) -> Any:
    from ..compile import compile_graph

    return compile_graph(graph)


def _checked_data(config: TrainingConfig, graph: Graph) -> LoadedData:
    data = load_dataset(config, task_hint(graph, config))
    problems = check_input(data.info, graph)
    if problems:
        raise InputMismatchError(problems, data.info)
    return data


def _graph_config(graph: Graph, graph_file: str | None, args: argparse.Namespace) -> TrainingConfig:
    """The graph's training section (without one: a built-in dataset that fits its Input, as
    the app offers), then the flags; data paths read beside the graph file (from the working
    directory for an unsaved graph)."""
    config = training_config(graph)
    if getattr(args, "dataset", None) and args.dataset != config.dataset:
        # the options were for the other dataset
        config = config.replace(dataset=args.dataset, dataset_options={})
    config = config.replace(
        **{flag: getattr(args, flag, None) for flag in _SETTING_FLAGS}, device=args.device
    )
    base = Path(graph_file).resolve().parent if graph_file is not None else Path.cwd()
    return resolve_data_paths(config, base)


def trained_file(args: argparse.Namespace) -> str | None:
    """The graph file a run belongs to: GRAPH itself, the file it stands for (``--as-file``), or
    None for an unsaved graph (``--unsaved``)."""
    if getattr(args, "unsaved", False):
        return None
    return getattr(args, "as_file", None) or args.graph


_SETTING_FLAGS = ("epochs", "batch_size", "lr", "optimizer", "seed")


def _train(args: argparse.Namespace, out: TextIO) -> int:
    env = torchrun_env()
    if any(getattr(args, name, None) is not None for name in LAUNCH_OPTIONS):
        if env is not None:
            raise TrainingError(
                "this is already a process of a torchrun job (RANK is set): leave out --nproc, "
                "--nnodes, --node-rank and --rdzv-endpoint"
            )
        return launch(args, out, _train_actions())
    out = speaking(env, out)
    if args.resume and args.weights:
        raise TrainingError("--resume continues a run, --weights starts a new one: give one")
    if args.partial and not args.weights:
        raise TrainingError(
            "--partial goes with --weights (a resumed run needs all of its weights)"
        )
    if args.out and args.resume and Path(args.resume).resolve().parent == Path(args.out).resolve():
        raise TrainingError(
            f"{args.out} holds the run being resumed; a resumed run is written to a new folder so "
            "that one stays as it is: leave --out out (a new folder beside the graph), or name a "
            "new folder"
        )
    feeds: list[LiveFeed] = []  # the run folder's live feed, once the folder is known

    def live_feed(run_dir: Path | str) -> LiveFeed:
        if not feeds:
            feeds.append(LiveFeed(run_dir))
        return feeds[0]

    main = env is None or env.rank == 0  # the process that writes the run folder
    if args.out and main:
        check_new_run_folder(args.out, f"nodeml train {args.graph} --resume {{last}}")
        live_feed(args.out)  # followers see a failure to start, too
    try:
        with ended_by_sigterm(env):
            return _train_into(args, out, live_feed, env)
    except BaseException as exc:
        for feed in feeds:
            feed.fail(exc)
        raise
    finally:
        for feed in feeds:
            feed.close()


def _train_into(
    args: argparse.Namespace,
    out: TextIO,
    live_feed: Callable[[Path], LiveFeed],
    env: TorchrunEnv | None = None,
) -> int:
    graph = load_graph(args.graph)
    source = args.resume or args.weights
    checkpoint = load_checkpoint(source) if source else None
    config = _graph_config(graph, trained_file(args), args)
    ranks = join_process_group(env, backend=args.backend, device=config.device) if env else None
    try:
        return _train_joined(args, out, live_feed, graph, checkpoint, config, ranks)
    finally:
        if ranks is not None:
            ranks.close()


def _train_joined(
    args: argparse.Namespace,
    out: TextIO,
    live_feed: Callable[[Path], LiveFeed],
    graph: Graph,
    checkpoint: dict[str, Any] | None,
    config: TrainingConfig,
    ranks: ProcessGroup | SingleProcess | None,
) -> int:
    source = args.resume or args.weights
    graph_file = trained_file(args)
    data = _checked_data(config, graph)
    if config.seed is not None:
        seed_everything(config.seed)  # the initial weights are part of a reproducible run
    # the graph as trained: with the settings it trained with (flags applied, data paths absolute);
    # compiled from that, so the model's standardisation and class names are what it trains with
    graph_dict = {**graph_to_dict(graph), "training": config.to_dict()}
    model = _compile(graph_from_dict(graph_dict))
    trainer = Trainer(model, config, data, graph=graph_dict, ranks=ranks)
    if checkpoint is not None:
        for change in graph_changes(checkpoint.get("graph"), graph_dict):
            trainer.notes.append(f"the graph differs from the checkpoint's: {change}")
        hint = (
            "a resumed run needs every weight: resume with the graph it was trained from (its "
            "run folder's graph.json), or start a new run from the weights that fit: "
            f"nodeml train {args.graph} --weights {source} --partial"
            if args.resume
            else "add --partial to load the weights that fit and keep the rest as initialised"
        )
        with _mismatch_said(source, f"graph {args.graph}", hint):
            if args.resume:
                trainer.load_state_dict(checkpoint)
            else:
                diff = load_model_state(trainer.model, checkpoint["model"], partial=args.partial)
                if not diff.fits:
                    trainer.notes.append("loaded the weights that fit; " + _one_line(diff))
        if args.resume and trainer.epoch >= config.epochs:
            raise TrainingError(
                f"the checkpoint has already trained {trainer.epoch} epochs; ask for more with "
                f"--epochs {trainer.epoch + 5}"
            )
    if not trainer.ranks.is_main:  # the others train; process 0 records the run
        watcher = node_control(torchrun_env(), trainer)  # a Ctrl-C on another node
        try:
            with _stop_on_interrupt(trainer, io.StringIO()):
                trainer.run()
        finally:
            if watcher is not None:
                watcher.close()
        return 0
    if args.out:  # checked again: another run may have taken it meanwhile
        run_dir = check_new_run_folder(args.out, f"nodeml train {args.graph} --resume {{last}}")
    else:
        run_dir = new_run_dir(runs_root(graph_file), run_stem(graph_file, graph.name))
    recorder = RunRecorder(
        trainer,
        run_dir,
        name=args.name,
        note=args.note,
        graph_file=graph_file,
        resumed_from=args.resume,
        tensorboard=args.tensorboard,
        world_size=trainer.ranks.world_size,
    )
    if args.tensorboard and recorder.writer is None:
        trainer.notes.append("tensorboard is not installed (pip install tensorboard); skipped")
    print(f"run folder: {run_dir} ({recorder.manifest.name})", file=out)
    progress = ProgressBar(trainer, out, live=live_progress(torchrun_env()))
    stats = None
    if not args.no_node_stats:
        stats = NodeStatsRecorder(trainer, run_dir)
        stats.warned.connect(lambda w: print(f"warning: {w}", file=out))
    live_feed(run_dir).attach(trainer, stats)
    error: BaseException | None = None
    try:
        with _stop_on_interrupt(trainer, out):
            result = trainer.run()
    except BaseException as exc:
        error = exc
        raise
    finally:
        progress.close()  # an abort leaves no half-drawn bar
        recorder.close(error)
    if result.reason is FinishReason.STOPPED:
        print(f"stopped; resume with: nodeml train {args.graph} --resume {recorder.last}", file=out)
    _summary(result, trainer, run_dir, out)
    return 0


@contextlib.contextmanager
def _mismatch_said(checkpoint: str, graph: str, hint: str) -> Iterator[None]:
    """A checkpoint that does not fit the graph: say which files, what differs, what to do."""
    try:
        yield
    except CheckpointMismatchError as exc:
        raise CheckpointMismatchError(
            exc.diff, hint=hint, headline=f"checkpoint {checkpoint} does not fit graph {graph}:"
        ) from None


def _one_line(diff: StateDiff) -> str:
    return "; ".join(diff.describe().splitlines())


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
    if len(args.files) > 2:
        raise TrainingError("give a checkpoint, or a graph file and a checkpoint")
    *graph_file, ckpt = args.files
    checkpoint = load_checkpoint(ckpt)
    if graph_file:
        # the graph decides; what the checkpoint was trained with is said, never used silently
        graph = load_graph(graph_file[0])
        config = _graph_config(graph, graph_file[0], args)
        saved = checkpoint.get("training")
        for change in setting_changes(saved, config) if isinstance(saved, dict) else []:
            if change.key.split(".")[0] in FIXED:
                print(
                    f"note: the checkpoint was trained with {change.key} {show(change.old)}; "
                    f"evaluating with the graph's {show(change.new)}",
                    file=out,
                )
        hint = (
            f"evaluate it with the graph it was trained from: nodeml evaluate {ckpt}; or load "
            f"the weights that fit: nodeml evaluate {graph_file[0]} {ckpt} --partial"
        )
        trained = checkpoint.get("graph")
        name = trained.get("name") if isinstance(trained, dict) else None
        where = f"graph {graph_file[0]}" + (
            f" (it was trained from graph {name!r})" if name else ""
        )
    else:
        graph, config = _carried(checkpoint, ckpt)
        config = config.replace(device=args.device)
        hint = f"load the weights that fit with --partial (checkpoint {ckpt})"
        where = "the graph it carries"
    data = _checked_data(config, graph)
    model = _compile(graph)
    with _mismatch_said(ckpt, where, hint):
        diff = load_model_state(model, checkpoint["model"], partial=args.partial)
    if not diff.fits:
        print(f"note: loaded the weights that fit; {_one_line(diff)}", file=out)
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


def _carried(checkpoint: dict[str, Any], path: str) -> tuple[Graph, TrainingConfig]:
    """The graph and settings a checkpoint was trained with, as it carries them."""
    if not isinstance(checkpoint.get("graph"), dict):
        raise TrainingError(
            f"checkpoint {path} does not carry its graph; name the graph file too: "
            f"nodeml evaluate GRAPH {path}"
        )
    graph = graph_from_dict(checkpoint["graph"], source=f"the graph in {path}")
    # data paths were made absolute when it trained; older ones read from the working directory
    return graph, TrainingConfig.from_dict(checkpoint.get("training"))
