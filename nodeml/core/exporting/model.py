"""The model an export writes: the compiled graph in eval mode, its weights and sample inputs."""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
from torch import nn

from ..compile import compile_graph
from ..compile.codegen import id_bound
from ..graph import Graph
from ..shapes import Inference, torch_dtype


@dataclass
class ExportModel:
    """An eval-mode model, example inputs (batch 2) and the graph's input and output names."""

    module: nn.Module
    inputs: tuple[torch.Tensor, ...]
    input_names: list[str]
    output_names: list[str]


def prepare(
    graph: Graph, checkpoint: str | os.PathLike[str] | None = None, seed: int = 0
) -> ExportModel:
    """Compile ``graph`` (weights from a nodeml checkpoint when given, else a seeded init)."""
    torch.manual_seed(seed)
    module = compile_graph(graph)
    if checkpoint is not None:
        from ..checkpoint import load_checkpoint, load_model_state

        load_model_state(module, load_checkpoint(checkpoint)["model"])
    module.eval()
    return ExportModel(
        module,
        example_inputs(graph),
        [n.id for n in graph.nodes if n.type == "Input"],
        [n.id for n in graph.nodes if n.type == "Output"],
    )


def example_inputs(graph: Graph, batch: int = 2, seed: int = 0) -> tuple[torch.Tensor, ...]:
    """One random batch per Input node, ids within the vocabulary of the Embedding they feed."""
    inference = Inference(graph)
    try:
        infos = inference.all()
    finally:
        inference.close()
    gen = torch.Generator().manual_seed(seed)
    out = []
    for node in graph.nodes:
        if node.type != "Input":
            continue
        info = infos[node.id].shape
        shape = info.full_shape(batch)
        if info.dtype in ("long", "int32"):
            high = id_bound(graph, node.id)
            out.append(torch.randint(0, high, shape, generator=gen, dtype=torch_dtype(info.dtype)))
        elif info.dtype == "bool":
            out.append(torch.randint(0, 2, shape, generator=gen).bool())
        else:
            out.append(torch.randn(shape, generator=gen).to(torch_dtype(info.dtype)))
    return tuple(out)


def batch_dynamic_shapes(inputs: tuple[torch.Tensor, ...]) -> tuple[dict[int, object], ...]:
    """torch.export's dynamic_shapes saying dim 0 of every input is the batch."""
    batch = torch.export.Dim("batch")
    return tuple({0: batch} for _ in inputs)
