"""The ``nodeml export`` command, defined once: Python source (or a whole training script) through
the compiler, model files through nodeml.core.exporting in the formats a mounted package allows."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

from .errors import NodemlError
from .exporting.formats import FORMATS, PYTHON


def add_export(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``export`` command of ``subparsers``, added unless it is there already. It writes
    python; allow_formats adds the model-file formats (nodeml.core.interop_commands does)."""
    existing = subparsers.choices.get("export")
    if existing is not None:
        return existing
    from .compile import STYLES

    export = subparsers.add_parser("export", help="write the graph as code or a model file")
    export.add_argument("graph", metavar="GRAPH", help="graph file (.json)")
    export.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")
    export.add_argument(
        "--format",
        choices=[f.name for f in FORMATS],
        default=PYTHON.name,
        help="; ".join(f"{f.name}: {f.about}" for f in FORMATS),
    )
    export.add_argument("--style", choices=STYLES, default="modules")
    export.add_argument(
        "--with-training",
        action="store_true",
        help="write a standalone train.py (model class, train/evaluate loops, argparse, DDP)",
    )
    export.add_argument(
        "--checkpoint",
        metavar="CKPT",
        help="weights to export (a nodeml checkpoint); else a seeded init",
    )
    export.add_argument("--opset", type=int, help="ONNX opset version (default: the exporter's)")
    export.add_argument(
        "--sequential",
        action="store_true",
        help="python: write a graph that is one straight chain of layers as nn.Sequential "
        "(same state_dict keys)",
    )
    export.set_defaults(func=cmd_export, writable=frozenset({PYTHON.name}))
    return export


def allow_formats(export: argparse.ArgumentParser, names: Iterable[str]) -> None:
    """Let ``export`` write these formats too."""
    export.set_defaults(writable=export.get_default("writable") | frozenset(names))


def cmd_export(args: argparse.Namespace) -> int:
    """``nodeml export``: the graph as python source, a training script or a model file."""
    if args.format not in args.writable:
        raise NodemlError(
            f"--format {args.format} is not yet supported; use --format python (the default)"
        )
    from .serialize import load_graph

    graph = load_graph(args.graph)  # GraphFormatError lists every problem
    if args.with_training:
        if args.format != PYTHON.name:
            raise NodemlError(
                "--with-training writes a Python script; leave out --format or use python"
            )
        from .exporting.training_script import training_script

        output = Path(args.output).resolve()
        script = training_script(
            graph,
            style=args.style,
            filename=output.name,
            graph_dir=Path(args.graph).resolve().parent,
            script_dir=output.parent,
        )
        _write_text(args.output, script)
        print(
            f"wrote {args.output} (run: python {args.output}, or torchrun --nproc_per_node=N {args.output})"
        )
        return 0
    if args.format == PYTHON.name:
        from .compile import generate_source

        # InvalidGraphError lists every problem
        source, generated, _ = generate_source(graph, args.style, sequential=args.sequential)
        _write_text(args.output, source)
        print(f"wrote {args.output} ({args.style} style)")
        if args.sequential and not generated.sequential:
            print(
                "note: the graph is not one straight chain of layers, so it is written as a "
                "plain nn.Module (its state_dict keys stay the same either way)"
            )
        return 0
    from .exporting import export_graph

    try:
        report = export_graph(graph, args.output, args.format, args.checkpoint, args.opset)
    except OSError as exc:
        raise NodemlError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    checked = ""
    if report.max_abs_diff is not None:
        checked = f"; onnxruntime matches PyTorch (max difference {report.max_abs_diff:.2g})"
    print(f"wrote {args.output} ({args.format}{checked})")
    for note in report.notes:
        print(f"note: {note}")
    return 0


def _write_text(path: str, text: str) -> None:
    from .fileio import atomic_write_text

    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise NodemlError(f"cannot write {path}: {exc.strerror or exc}") from None
