"""What the generated model class carries beyond its layers: input standardisation and class names.

Both are decided from the graph file alone (its ``training`` section, else the built-in dataset a
graph without one trains on; no data is read), so the compiled class, the exported file and a
checkpoint's ``state_dict`` always agree:

* when training standardises the input (``training.normalize``, else the dataset's default), the
  class holds ``<input>_mean`` / ``<input>_std`` buffers, shaped per feature (tables) or per
  channel (images), initialised to mean 0 and std 1; forward standardises the raw input first.
  nodeml's Trainer fits them on the training split; they are saved with the weights.
* when the task has classes, ``classes`` (output index -> class name) travels in the
  ``state_dict`` as the module's extra state, so ``load_state_dict(ckpt["model"])`` restores it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch

from ..errors import NodemlError
from ..graph import Graph
from ..shapes import Inference
from .namespace import Namespace

if TYPE_CHECKING:
    from ..training.config import TrainingConfig

_FLOATS = ("float32", "float64", "float16", "bfloat16")
_WITH_CLASSES = ("classification", "binary", None)  # None: the data decides (a CSV column)


@dataclass(frozen=True)
class Standardization:
    """The buffers that standardise one Input: ``(input - mean) / std``."""

    input: str  # the Input node id
    mean: str  # buffer names, unique among the class's attributes
    std: str
    shape: tuple[int, ...]  # (features,) or (channels, 1, 1, ...)

    @property
    def per(self) -> str:
        return "feature" if len(self.shape) <= 1 else "channel"


@dataclass(frozen=True)
class ModelInterface:
    """What nodeml's Trainer needs to know of a generated class (set as ``nodeml_interface``)."""

    inputs: tuple[str, ...] = ()  # Input node ids, in forward's order
    outputs: tuple[str, ...] = ()  # Output node ids, in the order forward returns them
    standardization: Standardization | None = None
    classes: str | None = None  # the attribute holding the class names, when there are classes


def plan_interface(graph: Graph, inference: Inference) -> ModelInterface:
    """The interface of the model class of ``graph`` (valid: see check_compilable), trained as
    its training section says -- or, without one, as nodeml trains it (training.defaults); its
    names avoid every node id."""
    inputs = [n.id for n in graph.nodes if n.type == "Input"]
    outputs = [n.id for n in graph.nodes if n.type == "Output"]
    config = _training_config(graph, inference)
    if config is None:
        return ModelInterface(tuple(inputs), tuple(outputs))
    # imported here: `nodeml check` loads nodeml.compile for its CLI, never the training package
    from ..training.datasets import expected_task, standardizes_inputs

    ns = Namespace()
    for nid in graph.node_ids:
        ns.take(nid)
    standardization = None
    try:
        standardize, task = standardizes_inputs(config), expected_task(config)
    except NodemlError:  # an unknown dataset: training will say so
        return ModelInterface(tuple(inputs), tuple(outputs))
    if standardize and len(inputs) == 1 and inference.info(inputs[0]).shape is not None:
        sample = inference.info(inputs[0]).shape
        if sample.dtype in _FLOATS:
            dims = tuple(sample.shape)
            shape = dims if len(dims) <= 1 else (dims[0],) + (1,) * (len(dims) - 1)
            standardization = Standardization(
                inputs[0], ns.take(f"{inputs[0]}_mean"), ns.take(f"{inputs[0]}_std"), shape
            )
    classes = ns.take("classes") if task in _WITH_CLASSES else None
    return ModelInterface(tuple(inputs), tuple(outputs), standardization, classes)


def _training_config(graph: Graph, inference: Inference) -> TrainingConfig | None:
    """The settings the graph trains with; None when its section is invalid (training reports
    that; the model is then compiled without standardisation or class names)."""
    from ..training.defaults import training_config  # see plan_interface

    try:
        return training_config(graph, inference)
    except NodemlError:
        return None


def init_lines(interface: ModelInterface) -> list[tuple[str | None, str]]:
    """``__init__`` statements after ``super().__init__()``, each with the node it belongs to."""
    lines: list[tuple[str | None, str]] = []
    s = interface.standardization
    if s is not None:
        dims = ", ".join(str(d) for d in s.shape) if s.shape else "()"
        lines += [
            (None, f"# {s.input} is standardised per {s.per}: ({s.input} - mean) / std, with the"),
            (None, "# mean and std of the training split, which nodeml fits when training starts"),
            (None, "# and saves with the weights (until then mean 0, std 1)"),
            (s.input, f'self.register_buffer("{s.mean}", torch.zeros({dims}))'),
            (s.input, f'self.register_buffer("{s.std}", torch.ones({dims}))'),
        ]
    if interface.classes is not None:
        name = interface.classes
        lines.append(
            (None, f"self.{name} = []  # class names by output index, saved with the weights")
        )
    return lines


def standardize_expr(s: Standardization, var: str) -> str:
    return f"({var} - self.{s.mean}) / self.{s.std}"


def method_lines(interface: ModelInterface) -> list[str]:
    """The methods that carry the class names in the ``state_dict`` (after ``forward``)."""
    if interface.classes is None:
        return []
    name = interface.classes
    return [
        "",
        "    def get_extra_state(self):",
        f'        return {{"classes": self.{name}}}',
        "",
        "    def set_extra_state(self, state):",
        f'        self.{name} = list(state["classes"])',
    ]


def initial_state(interface: ModelInterface) -> dict[str, Any]:
    """The ``state_dict`` entries the interface adds, as ``__init__`` leaves them (mean 0, std 1,
    no class names): what a module imported from other code starts with."""
    state: dict[str, Any] = {}
    s = interface.standardization
    if s is not None:
        state[s.mean], state[s.std] = torch.zeros(s.shape), torch.ones(s.shape)
    if interface.classes is not None:
        state["_extra_state"] = {"classes": []}
    return state


def standardized_input(graph: Graph, inference: Inference) -> Standardization | None:
    """How the graph's model standardises its input, if it does (for the canvas to show)."""
    return plan_interface(graph, inference).standardization
