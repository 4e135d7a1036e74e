"""Transfer learning as graph edits: which nodes train, the head, and the four usual presets.

Everything here returns a list of ``Edit`` records instead of changing the graph, so the app can
push one list as one undo step (``apply_edits`` does the same headless). Frozen means the node-
level key ``"trainable": false``; the compiler writes ``self.<id>.requires_grad_(False)`` for it
and the optimizer then only receives the parameters that still require grad.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import networkx as nx

from .catalog import get_spec
from .graph import Graph
from .shapes import Inference


class Edit(NamedTuple):
    """One change: ``key`` ``"trainable"`` is a node-level key (value False freezes, None removes
    the key: trainable is the default); any other key is a param (``weights``)."""

    node: str
    key: str
    value: Any

    @property
    def is_param(self) -> bool:
        return self.key != "trainable"


@dataclass(frozen=True)
class ParamCounts:
    """Parameters of the whole graph that train, and those frozen."""

    trainable: int
    frozen: int

    @property
    def total(self) -> int:
        return self.trainable + self.frozen


def backbones(graph: Graph) -> list[str]:
    """Ids of the feature extractors: torchvision backbone nodes, and uses of blocks that hold
    one (at any depth)."""
    return [n.id for n in graph.nodes if _holds_backbone(graph, n.type, set())]


def _holds_backbone(graph: Graph, type_name: str, seen: set[str]) -> bool:
    if _category(type_name) == "backbone":
        return True
    if type_name not in graph.blocks or type_name in seen:
        return False
    seen.add(type_name)
    return any(_holds_backbone(graph, n.type, seen) for n in graph.blocks[type_name].graph.nodes)


def weighted_nodes(graph: Graph, inference: Inference | None = None) -> list[str]:
    """Nodes that hold parameters (layers with weights, backbones, blocks with weights inside)."""
    with _inference(graph, inference) as live:
        infos = live.all()
    # a node whose shapes are not known yet counts no params but may still have weights
    return [nid for nid, info in infos.items() if info.params > 0 or _parametric(graph, nid)]


def head(graph: Graph, inference: Inference | None = None) -> list[str]:
    """The nodes that learn the user's task, the part that stays trainable when freezing.

    With backbones: the nodes with weights downstream of a backbone and upstream of none (after
    the last feature extractor on every path). Without: the nodes with weights that feed no other
    node with weights (the last layer on each path to an Output, e.g. an imported ResNet's fc).
    """
    with _inference(graph, inference) as live:
        weighted = set(weighted_nodes(graph, live))
    g = graph.nx
    extractors = backbones(graph)
    if extractors:
        after = set().union(*(nx.descendants(g, b) for b in extractors))
        before = set().union(*(nx.ancestors(g, b) for b in extractors))
        chosen = (weighted & after) - before - set(extractors)
    else:
        chosen = {n for n in weighted if not (nx.descendants(g, n) & weighted)}
    return [nid for nid in graph.node_ids if nid in chosen]


def trainable_edits(graph: Graph, wanted: dict[str, bool]) -> list[Edit]:
    """The edits that make each node's trainable flag what ``wanted`` says; no-ops left out."""
    edits = []
    for nid, on in wanted.items():
        frozen = graph.node(nid).extra.get("trainable", True) is False
        if on and frozen:
            edits.append(Edit(nid, "trainable", None))
        elif not on and not frozen:
            edits.append(Edit(nid, "trainable", False))
    return edits


def freeze_all_but_head(graph: Graph, inference: Inference | None = None) -> dict[str, bool]:
    """Every node with weights -> whether it trains: only the head (see ``head``) does."""
    with _inference(graph, inference) as live:
        keep = set(head(graph, live))
        return {nid: nid in keep for nid in weighted_nodes(graph, live)}


def weights_edits(graph: Graph, weights: str) -> list[Edit]:
    """Set every backbone node's ``weights`` param (``"DEFAULT"`` or ``"none"``); no-ops left out.
    Backbones inside blocks keep theirs: a block's inner params are edited in the block."""
    edits = []
    for node in graph.nodes:
        if _category(node.type) != "backbone":
            continue
        nid = node.id
        current = node.params.get("weights", get_spec(node.type).param("weights").default)
        if current != weights:
            edits.append(Edit(nid, "weights", weights))
    return edits


def apply_edits(graph: Graph, edits: list[Edit]) -> None:
    """Apply edits to the graph directly (the app pushes them as undoable commands instead)."""
    for e in edits:
        if e.is_param:
            graph.set_param(e.node, e.key, e.value)
        else:
            graph.set_extra(e.node, e.key, e.value)


def param_counts(graph: Graph, inference: Inference | None = None) -> ParamCounts:
    with _inference(graph, inference) as live:
        totals = live.totals()
    return ParamCounts(totals.trainable, totals.params - totals.trainable)


# ---- the four situations ---------------------------------------------------------------------
@dataclass(frozen=True)
class Preset:
    """One cell of the usual advice: how much data, and how close the task is to ImageNet."""

    key: str
    data: str  # "little" or "much"
    task: str  # "similar" or "different" (to ImageNet photos)
    title: str
    advice: str
    warning: bool = False


PRESETS: tuple[Preset, ...] = (
    Preset(
        "feature_extractor",
        "little",
        "similar",
        "Freeze the backbone, train the head",
        "With little data on a task like ImageNet, keep the pretrained features frozen and train "
        "only the new head, so a few thousand images cannot overfit millions of weights.",
    ),
    Preset(
        "fine_tune",
        "much",
        "similar",
        "Fine-tune everything",
        "With plenty of data on a task like ImageNet, start from the pretrained weights and train "
        "every layer, best with a learning rate about ten times smaller than from scratch.",
    ),
    Preset(
        "from_scratch",
        "much",
        "different",
        "Train from scratch",
        "With plenty of data on a task unlike ImageNet (X-rays, spectrograms, satellite bands), "
        "keep the architecture but start from random weights and train everything.",
    ),
    Preset(
        "not_advised",
        "little",
        "different",
        "Transfer is not advised",
        "With little data on a task unlike ImageNet, pretrained features help little and a large "
        "model overfits: prefer a smaller model, data augmentation, or collecting more data.",
        warning=True,
    ),
)


def preset(key: str) -> Preset:
    for p in PRESETS:
        if p.key == key:
            return p
    raise KeyError(f"no transfer preset {key!r}; one of {', '.join(p.key for p in PRESETS)}")


def preset_for(data: str, task: str) -> Preset:
    """The preset for ``data`` ("little" / "much") and ``task`` ("similar" / "different")."""
    for p in PRESETS:
        if p.data == data and p.task == task:
            return p
    raise KeyError(f"no transfer preset for {data} data and a {task} task")


def preset_edits(graph: Graph, key: str, inference: Inference | None = None) -> list[Edit]:
    """The edits a preset makes (the warning preset makes none): backbone weights, then the
    trainable flags of every node with weights."""
    chosen = preset(key)
    if chosen.warning:
        return []
    with _inference(graph, inference) as live:
        if chosen.key == "feature_extractor":
            weights, wanted = "DEFAULT", freeze_all_but_head(graph, live)
        else:
            weights = "DEFAULT" if chosen.key == "fine_tune" else "none"
            wanted = dict.fromkeys(weighted_nodes(graph, live), True)
    return weights_edits(graph, weights) + trainable_edits(graph, wanted)


@contextlib.contextmanager
def _inference(graph: Graph, given: Inference | None) -> Iterator[Inference]:
    """The caller's live inference, or one made for this call and closed after it."""
    if given is not None:
        yield given
        return
    live = Inference(graph)
    try:
        yield live
    finally:
        live.close()


def _parametric(graph: Graph, nid: str) -> bool:
    type_name = graph.node(nid).type
    if type_name in graph.blocks:
        return graph.blocks.spec(type_name).parametric
    spec = get_spec(type_name)
    return spec is not None and spec.parametric


def _category(type_name: str) -> str | None:
    spec = get_spec(type_name)
    return spec.category if spec is not None else None
