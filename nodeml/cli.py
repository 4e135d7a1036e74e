"""The ``nodeml`` command: opens the app, or checks, summarises and exports graph files headless."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from . import __version__, gc_schedule
from .core.errors import GraphFormatError, NodemlError, Problem, Severity, report_error

# The model's modules import torch (seconds); a command imports them when it runs, so opening
# the app can put a window on screen first.
if TYPE_CHECKING:
    from .core.graph import Graph
    from .core.shapes import NodeInfo

_APP_MODULE = "nodeml.ui.app"
# Packages that add commands (train / evaluate; import, and the export formats beyond python)
# through ``add_commands(subparsers)``; mounted when present, so the CLI works without them.
_EXTRA_COMMANDS = ["nodeml.core.training.commands", "nodeml.core.interop_commands"]
# Quick commands no package extends: they run without importing those packages (0.15 s for
# training), and without the garbage collector (it would cost ~0.7 s of a 3 s `check`).
_SELF_CONTAINED = ("check", "summary")


class CommandError(NodemlError):
    """A command cannot do what was asked; ``lines`` are printed to stderr, one per problem."""

    def __init__(self, lines: Sequence[str]):
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 graph problems or errors, 2 usage).

    Without ``argv`` this is the program itself (``nodeml``, ``python -m nodeml``), which also
    schedules the garbage collector around its start and exit (see nodeml.gc_schedule)."""
    if argv is not None:
        return _run(list(argv))
    gc_schedule.pause()
    args = sys.argv[1:]
    try:
        status = _run(args)
    finally:
        gc_schedule.before_exit()
    if _one_shot(args):
        gc_schedule.end_without_teardown(status)
    return status


def _one_shot(args: list[str]) -> bool:
    """A command that only reads, prints and writes one file it has closed (gc_schedule)."""
    if not args:
        return False
    if args[0] in _SELF_CONTAINED:
        return True
    return "--screenshot" in args and _opens_app(args, lambda: _command_names(build_parser()))


def _run(args_list: list[str]) -> int:
    if _opens_app(args_list, lambda: _command_names(build_parser())):
        return run_app(args_list)  # it resumes collection once its window is on screen
    args = build_parser(extras=args_list[0] not in _SELF_CONTAINED).parse_args(args_list)
    if args.func is None:
        return run_app([])
    if args.command not in _SELF_CONTAINED:  # quick ones finish before collection would matter
        gc_schedule.resume()
    try:
        return int(args.func(args) or 0)
    except NodemlError as exc:  # CommandError, GraphFormatError ...: one line per problem
        report_error(args.command, exc)
        return 1
    except KeyboardInterrupt:
        print(f"nodeml {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in nodeml, not the user's fault: still one readable line
        if os.environ.get("NODEML_DEBUG"):
            raise
        print(
            f"nodeml {args.command}: internal error: {type(exc).__name__}: {exc} "
            "(set NODEML_DEBUG=1 for a traceback, and please report it)",
            file=sys.stderr,
        )
        return 1


def build_parser(extras: bool = True) -> argparse.ArgumentParser:
    """The whole command line; ``extras=False`` leaves out the commands other packages add."""
    from .core.export_command import add_export

    parser = argparse.ArgumentParser(
        prog="nodeml",
        description="Build PyTorch models visually. With no command, opens the desktop app "
        "(`nodeml [GRAPH.json]`, `nodeml --screenshot OUT.png [GRAPH.json]`).",
    )
    parser.add_argument("--version", action="version", version=f"nodeml {__version__}")
    parser.set_defaults(func=None, command=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser(
        "check", help="validate a graph file: exit 0 if valid, else list problems"
    )
    check.add_argument("graph", metavar="GRAPH", help="graph file (.json)")
    check.set_defaults(func=cmd_check)

    summary = sub.add_parser("summary", help="per-node output shapes, parameters and MACs")
    summary.add_argument("graph", metavar="GRAPH", help="graph file (.json)")
    summary.add_argument("--json", action="store_true", help="print machine-readable JSON")
    summary.set_defaults(func=cmd_summary)

    add_export(sub)  # the formats beyond python come with the packages mounted below
    for module in _EXTRA_COMMANDS if extras else ():
        _add_commands_from(module, sub)
    return parser


def _add_commands_from(module: str, sub: argparse._SubParsersAction) -> None:
    try:
        spec = importlib.util.find_spec(module)
    except ImportError:
        spec = None
    if spec is not None:
        importlib.import_module(module).add_commands(sub)


def _command_names(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def _opens_app(argv: list[str], commands: Callable[[], set[str]]) -> bool:
    """No command, a graph file, or app options (``--screenshot``) go to the desktop app.

    ``commands`` is asked only when a word could be either (building the parser imports the
    command modules, and with them torch)."""
    if not argv:
        return True
    first = argv[0]
    if first in ("-h", "--help", "--version"):
        return False
    if first.startswith("-") or first.endswith(".json"):  # no command starts or ends so
        return True
    return Path(first).is_file() and first not in commands()


def run_app(argv: list[str]) -> int:
    """Hand over to the desktop app, or say clearly why it cannot start."""
    try:
        found = importlib.util.find_spec(_APP_MODULE) is not None
    except ImportError:
        found = False
    if not found:
        print(
            "nodeml: the desktop app is not part of this build yet. Headless commands work: "
            "nodeml check|summary|export GRAPH (see nodeml --help)."
        )
        return 0
    try:
        app = importlib.import_module(_APP_MODULE)
    except ImportError as exc:
        print(
            f"nodeml: cannot start the desktop app: {exc}. Is PySide6 installed "
            "(pip install -e .)? Headless commands still work: nodeml --help.",
            file=sys.stderr,
        )
        return 1
    return int(app.main(argv) or 0)


# ---- commands ---------------------------------------------------------------------------------
def cmd_check(args: argparse.Namespace) -> int:
    """Problems are this command's report, so they go to stdout, one line each."""
    from .core.serialize import load_graph
    from .core.shapes import Inference

    try:
        graph = load_graph(args.graph)
    except GraphFormatError as exc:
        _print_problems(exc.problems, sys.stdout)
        return 1
    inference = Inference(graph)
    problems = inference.problems()
    warnings = inference.warnings()
    if problems:
        _print_problems([*problems, *warnings], sys.stdout)
        return 1
    _print_problems(warnings, sys.stdout)
    totals = inference.totals()
    print(f"OK {args.graph}: {graph.name!r}, {len(graph)} nodes, {totals.params:,} parameters")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from .core.shapes import Inference

    graph = _load(args.graph)
    inference = Inference(graph)
    infos = inference.all()
    totals = inference.totals()
    if args.json:
        print(json.dumps(summary_data(graph, infos, totals), indent=2))
    else:
        print(summary_table(graph, infos, totals))
    problems = inference.problems()
    _print_problems([*problems, *inference.warnings()], sys.stderr)
    return 1 if problems else 0


def _load(path: str) -> Graph:
    from .core.serialize import load_graph

    try:
        return load_graph(path)
    except GraphFormatError as exc:
        raise CommandError([str(p) for p in exc.problems]) from None


def _print_problems(problems: Sequence[Problem], stream: TextIO) -> None:
    """One line each; a warning says so (it does not stop the graph compiling)."""
    for problem in problems:
        prefix = "warning: " if problem.severity is Severity.WARNING else ""
        print(f"{prefix}{problem}", file=stream)


# ---- summary ----------------------------------------------------------------------------------
def _parametric(graph: Graph, type_name: str) -> bool | None:
    from .core.catalog import get_spec

    spec = get_spec(type_name)
    if spec is None and type_name in graph.blocks:  # a block use: parametric if anything inside is
        spec = graph.blocks.spec(type_name)
    return None if spec is None else spec.parametric


def summary_data(graph: Graph, infos: dict[str, NodeInfo], totals: Any) -> dict[str, Any]:
    """The ``summary --json`` document; ``output_shape`` is port 0 without the batch dim."""
    nodes = []
    for node in graph.nodes:
        info = infos[node.id]
        out = info.shape
        nodes.append(
            {
                "id": node.id,
                "type": node.type,
                "output_shape": None if out is None else list(out.shape),
                "params": info.params,
                "trainable": info.trainable,
                "parametric": _parametric(graph, node.type),
                "macs": info.macs,
            }
        )
    return {
        "nodes": nodes,
        "total_params": totals.params,
        "trainable_params": totals.trainable,
        "total_macs": totals.macs,
    }


def summary_table(graph: Graph, infos: dict[str, NodeInfo], totals: Any) -> str:
    """A torchinfo-like table: one row per node, then the model totals."""
    header = ("id", "type", "output shape", "params", "trainable", "parametric", "MACs")
    rows = []
    for node in graph.nodes:
        info = infos[node.id]
        out = info.shape
        parametric = _parametric(graph, node.type)
        rows.append(
            (
                node.id,
                node.type,
                "?" if out is None else out.describe(),
                f"{info.params:,}",
                f"{info.trainable:,}",
                "?" if parametric is None else ("yes" if parametric else "no"),
                f"{info.macs:,}",
            )
        )
    right = {3, 4, 6}
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "=" * len(line(header))
    out = [f"{graph.name}", rule, line(header), "-" * len(rule), *map(line, rows), rule]
    out += [
        f"Total params: {totals.params:,}",
        f"Trainable params: {totals.trainable:,}",
        f"Non-trainable params: {totals.params - totals.trainable:,}",
        f"Model size (fp32): {totals.size_mb:.2f} MB",
        f"Total MACs (one sample): {totals.macs:,} ({_human(totals.macs)})",
        rule,
    ]
    return "\n".join(out)


def _human(n: int) -> str:
    for unit, size in (("G", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= size:
            return f"{n / size:.2f} {unit}"
    return str(n)
