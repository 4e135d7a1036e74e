"""The undoable edit of a graph's ``training`` section (settings chosen in the Training dock)."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from ...core.graph import Graph

SET_TRAINING_ID = 5  # consecutive setting changes merge into one undo step


class SetTrainingSettingsCommand(QUndoCommand):
    """Replace ``graph.extras["training"]`` (None removes it); successive edits merge.

    Goes through ``Graph.set_section``, whose ``section_changed`` event leaves inference and
    the canvas alone.
    """

    def __init__(self, graph: Graph, settings: dict[str, Any] | None, text: str | None = None):
        super().__init__(text or QCoreApplication.translate("Undo", "Training settings"))
        self.graph = graph
        self.new = copy.deepcopy(settings)
        self.old = copy.deepcopy(graph.extras.get("training"))

    def id(self) -> int:
        return SET_TRAINING_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        if not isinstance(other, SetTrainingSettingsCommand) or other.graph is not self.graph:
            return False
        self.new = copy.deepcopy(other.new)
        self.setText(other.text())
        return True

    def _apply(self, settings: dict[str, Any] | None) -> None:
        self.graph.set_section("training", settings)

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)
