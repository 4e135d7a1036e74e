"""What a graph says about its training task, for datasets whose targets can be read two ways."""

from __future__ import annotations

from ..graph import Graph
from ..shapes import Inference
from .config import TrainingConfig
from .datasets import TaskHint, dataset_spec


def task_hint(graph: Graph, config: TrainingConfig) -> TaskHint | None:
    """The hint ``load_dataset`` passes to the configured dataset, or None when that dataset takes
    none (so the graph's shapes are inferred only when they matter). The Output's width is known
    when the graph has exactly one Output and it gives a flat vector per sample."""
    if not dataset_spec(config.dataset).uses_task_hint:
        return None
    outputs = [node.id for node in graph.nodes if node.type == "Output"]
    width = None
    if len(outputs) == 1:
        inference = Inference(graph)
        try:
            shape = inference.info(outputs[0]).shape
        finally:
            inference.close()
        if shape is not None and len(shape.shape) == 1:
            width = shape.shape[0]
    return TaskHint(output_width=width, loss=config.loss, task=config.task)
