"""The ``nodeml import`` command and the export formats beyond Python source, for the CLI to mount."""

from __future__ import annotations

import argparse
from pathlib import Path

from .errors import NodemlError
from .export_command import add_export, allow_formats
from .exporting.formats import MODEL_FILES

IMPORT_EPILOG = """targets:
  path/to/model.py:ClassName   runs that file (your own code) and calls ClassName()
  torchvision:resnet18         a torchvision model, random weights (no download)
  package.module:factory       an installed module's class or builder function"""


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``import``, and let ``export`` (added here unless the CLI has it) write the model
    files of nodeml.core.exporting."""
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
    allow_formats(add_export(subparsers), (f.name for f in MODEL_FILES))


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
