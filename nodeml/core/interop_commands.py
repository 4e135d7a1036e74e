"""The ``nodeml import`` command and the export formats beyond Python source, for the CLI to mount."""

from __future__ import annotations

import argparse
from pathlib import Path

from .errors import NodemlError

IMPORT_EPILOG = """targets:
  path/to/model.py:ClassName   runs that file (your own code) and calls ClassName()
  torchvision:resnet18         a torchvision model, random weights (no download)
  package.module:factory       an installed module's class or builder function"""


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``import``; give ``export`` its extra formats, ``--with-training`` and ``--checkpoint``.

    If the CLI already has an ``export`` command, it is extended in place (its ``--format``
    choices grow and its handler becomes :func:`cmd_export`, which still writes ``python``
    through ``nodeml.export_code``); otherwise the whole command is added here.
    """
    imp = subparsers.add_parser(
        "import",
        help="trace a PyTorch model (torch.fx) into a graph file",
        epilog=IMPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("source", metavar="SRC", help="FILE.py:ClassName or torchvision:MODEL")
    imp.add_argument("-o", "--output", required=True, metavar="GRAPH", help="graph file to write")
    imp.add_argument(
        "--input-shape",
        action="append",
        metavar="DIMS",
        help="one sample's shape without the batch dim, e.g. 3,224,224 (repeat per forward "
        "argument; torchvision models default to 3,224,224)",
    )
    imp.add_argument(
        "--input-dtype",
        action="append",
        metavar="DTYPE",
        help="e.g. long for token ids (repeatable)",
    )
    imp.add_argument("--name", help="graph name (default: the class name)")
    imp.add_argument(
        "--save-weights",
        metavar="CHECKPOINT",
        help="also write the model's current weights as a nodeml checkpoint for the graph",
    )
    imp.set_defaults(func=cmd_import)
    _add_export(subparsers)


EXPORT_FORMATS = ("python", "onnx", "torchscript", "exported-program", "safetensors")


def _add_export(subparsers: argparse._SubParsersAction) -> None:
    from .compile import STYLES

    export = subparsers.choices.get("export")
    if export is None:
        export = subparsers.add_parser("export", help="write the graph as code or a model file")
        export.add_argument("graph", metavar="GRAPH", help="graph file (.json)")
        export.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")
        export.add_argument("--format", default="python")
        export.add_argument("--style", choices=STYLES, default="modules")
    for action in export._actions:
        if action.dest == "format":
            action.choices = EXPORT_FORMATS
            action.help = "python (default) source, onnx, torchscript, exported-program (.pt2), safetensors weights"
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
    export.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    """``nodeml export``: python source through nodeml.export_code, other formats via exporting."""
    from .compile import export_code
    from .serialize import load_graph

    graph = load_graph(args.graph)
    if args.with_training:
        if args.format != "python":
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
    if args.format == "python":
        sequential = bool(getattr(args, "sequential", False))
        # InvalidGraphError lists every problem
        source = export_code(graph, style=args.style, sequential=sequential)
        _write_text(args.output, source)
        print(f"wrote {args.output} ({args.style} style)")
        if sequential and "(nn.Sequential):" not in source:
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


def cmd_import(args: argparse.Namespace) -> int:
    from .compile.model_interface import initial_state, plan_interface
    from .importing import import_model, load_target, rename_state_dict
    from .serialize import save_graph
    from .shapes import Inference

    shapes = [_dims(s) for s in args.input_shape] if args.input_shape else None
    target = load_target(args.source)
    if shapes is None and target.input_shape is not None:
        shapes = [list(target.input_shape)]
    result = import_model(target.module, shapes, args.input_dtype, args.name or None)
    try:
        save_graph(result.graph, args.output)
    except OSError as exc:
        raise NodemlError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    inference = Inference(result.graph)
    totals = inference.totals()
    inference.close()
    print(
        f"imported {result.graph.name}: {len(result.graph)} nodes, {totals.params:,} parameters "
        f"-> {args.output}"
    )
    for note in result.notes:
        print(f"note: {note}")
    if args.save_weights:
        from .checkpoint import save_checkpoint

        used = {k: v for k, v in target.module.state_dict().items() if k in result.name_map}
        inference = Inference(result.graph)
        added = initial_state(plan_interface(result.graph, inference))  # buffers, class names
        inference.close()
        state = {**added, **rename_state_dict(used, result.name_map)}
        save_checkpoint(Path(args.save_weights), {"model": state})
        print(f"wrote the model's weights to {args.save_weights}")
    return 0


def _dims(text: str) -> list[int]:
    try:
        dims = [int(d) for d in text.replace("x", ",").split(",") if d.strip()]
    except ValueError:
        dims = []
    if not dims or any(d < 1 for d in dims):
        raise NodemlError(f"--input-shape {text!r}: write positive whole numbers, e.g. 3,224,224")
    return dims
