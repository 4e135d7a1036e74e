"""Does a checkpoint fit the open graph? What differs, and the graph the checkpoint was trained from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from ...core.checkpoint import StateDiff, compare_state, load_checkpoint
from ...core.compile import compile_graph
from ...core.errors import GraphFormatError, InvalidGraphError, NodemlError
from ...core.graph import Graph
from ...core.serialize import graph_from_dict, graph_to_dict
from ...core.training.setting_changes import graph_changes


@dataclass
class CheckpointFit:
    """``diff`` compares the checkpoint's weights with the open graph's model; None when that
    graph cannot be built, ``why_not`` then says why ("it is empty", its problems). ``carried``
    is the graph the checkpoint was trained from (None for checkpoints that do not carry it),
    ``changes`` what the open graph changed from it."""

    path: Path
    checkpoint: dict[str, Any]
    carried: Graph | None
    diff: StateDiff | None
    total: int = 0
    fitting: int = 0
    why_not: str = ""
    changes: list[str] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        return self.diff is not None and self.diff.fits

    @property
    def epoch(self) -> int:
        return int(self.checkpoint.get("epoch", 0))

    def carried_name(self) -> str:
        if self.carried is None:
            return ""
        return self.carried.name or QCoreApplication.translate("Training", "its graph")


def check_checkpoint(path: str | Path, graph: Graph) -> CheckpointFit:
    """Read ``path`` (CheckpointError when it is no nodeml checkpoint) and compare it with
    ``graph``, a graph the caller may be editing (a copy is built)."""
    path = Path(path)
    checkpoint = load_checkpoint(path)
    carried = None
    if isinstance(checkpoint.get("graph"), dict):
        try:
            carried = graph_from_dict(checkpoint["graph"], source=f"the graph in {path}")
        except GraphFormatError:
            carried = None
    fit = CheckpointFit(path, checkpoint, carried, None)
    if carried is not None and len(graph):
        fit.changes = graph_changes(checkpoint["graph"], graph_to_dict(graph))
    if not len(graph):
        fit.why_not = QCoreApplication.translate("Training", "the open graph is empty")
        return fit
    try:
        model = compile_graph(graph.copy())
    except InvalidGraphError as exc:
        first = "; ".join(dict.fromkeys(p.message for p in exc.problems[:3]))
        fit.why_not = QCoreApplication.translate(
            "Training", "the open graph cannot be built ({why})"
        ).format(why=first)
        return fit
    except NodemlError as exc:
        fit.why_not = QCoreApplication.translate(
            "Training", "the open graph cannot be built ({why})"
        ).format(why=exc)
        return fit
    fit.diff = compare_state(model, checkpoint["model"])
    fit.total = len(model.state_dict())
    fit.fitting = fit.total - len(fit.diff.missing) - len(fit.diff.mismatched)
    return fit
