"""A graph's runs as a Qt table: one row per run folder, as the core registry reads it.

The model holds the records the registry returned and nothing else about a run; which runs are
ticked (drawn on the curves) is view state the Runs panel sets. Renaming a run writes its
run.json through the registry and reads it back.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from ...core.training.run_folder import RunStatus
from ...core.training.run_registry import RunFolderError, RunRecord, rename_run
from ..theme import current_theme
from .metric_names import split_metric_label
from .run_style import RunStyle, run_color, run_key

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    SHOWN = 0  # tick box (drawn on the curves) and colour swatch
    NAME = 1
    STARTED = 2
    STATUS = 3
    EPOCHS = 4
    BEST = 5
    CHANGES = 6


HEADERS = {  # translated when shown
    Column.SHOWN: "",
    Column.NAME: QT_TRANSLATE_NOOP("RunsModel", "Name"),
    Column.STARTED: QT_TRANSLATE_NOOP("RunsModel", "Started"),
    Column.STATUS: QT_TRANSLATE_NOOP("RunsModel", "Status"),
    Column.EPOCHS: QT_TRANSLATE_NOOP("RunsModel", "Epochs"),
    Column.BEST: QT_TRANSLATE_NOOP("RunsModel", "Best"),
    Column.CHANGES: QT_TRANSLATE_NOOP("RunsModel", "Changes from the run before"),
}
HEADER_TIPS = {
    Column.SHOWN: QT_TRANSLATE_NOOP(
        "RunsModel", "Tick to draw the run on the curves, in its colour"
    ),
    Column.NAME: QT_TRANSLATE_NOOP(
        "RunsModel", "The run's name (double-click or F2 to rename; the folder keeps its name)"
    ),
    Column.BEST: QT_TRANSLATE_NOOP(
        "RunsModel", "The best epoch (lowest validation loss, else training loss): best.pt holds it"
    ),
    Column.CHANGES: QT_TRANSLATE_NOOP(
        "RunsModel", "Settings and graph edits that differ from the run above"
    ),
}
STATUS_NAMES = {
    RunStatus.RUNNING: QT_TRANSLATE_NOOP("RunsModel", "running"),
    RunStatus.FINISHED: QT_TRANSLATE_NOOP("RunsModel", "finished"),
    RunStatus.STOPPED: QT_TRANSLATE_NOOP("RunsModel", "stopped"),
    RunStatus.FAILED: QT_TRANSLATE_NOOP("RunsModel", "failed"),
    RunStatus.INTERRUPTED: QT_TRANSLATE_NOOP("RunsModel", "interrupted"),
}
STATUS_COLORS = {  # (dark, light)
    RunStatus.RUNNING: ("#4fc3f7", "#0277bd"),
    RunStatus.FINISHED: ("#81c784", "#2e7d32"),
    RunStatus.STOPPED: ("#b0b6bf", "#5f6873"),
    RunStatus.FAILED: ("#ff6b6b", "#c62828"),
    RunStatus.INTERRUPTED: ("#ffb74d", "#b26a00"),
}


class RunsModel(QAbstractTableModel):
    """Rows oldest first, as ``nodeml runs`` lists them; the colour of row i is run_color(i)."""

    tick_toggled = Signal(object, bool)  # run folder (Path), ticked
    rename_failed = Signal(str)  # why a rename was refused
    renamed = Signal(object)  # Path: the run folder whose name the user changed

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.records: list[RunRecord] = []
        self.ticked: set[str] = set()
        self.locked: set[str] = set()  # drawn and cannot be unticked (the live run)
        self.shown_in_full: str | None = None  # the run the curves draw in full

    # ---- contents -------------------------------------------------------------------------------
    def set_records(self, records: list[RunRecord]) -> None:
        """The runs as read now: the same folders update their rows in place (selection and an
        edit under way survive); another set of folders resets the table."""
        if [r.path for r in records] == [r.path for r in self.records]:
            changed = [i for i, (a, b) in enumerate(zip(self.records, records, strict=True))
                       if a.to_json() != b.to_json()]  # fmt: skip
            self.records = records
            for row in changed:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))
            return
        self.beginResetModel()
        self.records = records
        self.endResetModel()

    def update_record(self, record: RunRecord) -> None:
        """One run read again (it is training): its row changes, its 'changes' stay."""
        row = self.row_of(record.path)
        if row is None:
            return
        record.changes = self.records[row].changes
        self.records[row] = record
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def set_ticks(self, ticked: set[str], locked: set[str], in_full: str | None) -> None:
        if (ticked, locked, in_full) == (self.ticked, self.locked, self.shown_in_full):
            return
        self.ticked, self.locked, self.shown_in_full = set(ticked), set(locked), in_full
        if self.records:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.records) - 1, 1))

    def row_of(self, path: str | Path) -> int | None:
        key = run_key(path)
        return next((i for i, r in enumerate(self.records) if run_key(r.path) == key), None)

    def record(self, index: Index) -> RunRecord | None:
        return self.records[index.row()] if index.isValid() else None

    def style(self, row: int) -> RunStyle:
        return RunStyle(self.records[row].name, run_color(row))

    def styles(self) -> dict[str, RunStyle]:
        return {run_key(r.path): self.style(i) for i, r in enumerate(self.records)}

    # ---- Qt model ----------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or section >= len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            text = HEADERS[Column(section)]
            return self.tr(text) if text else text  # i18n: HEADERS are NOOPs
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = HEADER_TIPS.get(Column(section))
            return self.tr(tip) if tip else None  # i18n: HEADER_TIPS are NOOPs
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        column = Column(index.column())
        if column is Column.SHOWN and run_key(self.records[index.row()].path) not in self.locked:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if column is Column.NAME:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.records):
            return None
        r = self.records[index.row()]
        column = Column(index.column())
        key = run_key(r.path)
        roles = Qt.ItemDataRole
        if role == roles.DisplayRole:
            if column is Column.CHANGES and not r.changes:
                return "" if index.row() == 0 else "—"  # the first run has nothing to differ from
            return _display(r, column)
        if role == roles.EditRole and column is Column.NAME:
            return r.name
        if role == roles.ToolTipRole:
            return _tooltip(r, column)
        if column is Column.SHOWN:
            if role == roles.CheckStateRole:
                drawn = key in self.ticked or key in self.locked
                return Qt.CheckState.Checked if drawn else Qt.CheckState.Unchecked
            if role == roles.DecorationRole:
                return QColor(run_color(index.row()))
        if role == roles.ForegroundRole and column is Column.STATUS:
            dark, light = STATUS_COLORS[r.status]
            return QColor(dark if current_theme().dark else light)
        if role == roles.FontRole and column is Column.NAME and key == self.shown_in_full:
            font = QFont()
            font.setBold(True)  # the run whose curves are drawn in full
            return font
        if role == roles.TextAlignmentRole and column in (Column.EPOCHS, Column.BEST):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        r = self.records[index.row()]
        column = Column(index.column())
        if column is Column.SHOWN and role == Qt.ItemDataRole.CheckStateRole:
            on = Qt.CheckState(value) == Qt.CheckState.Checked
            key = run_key(r.path)
            (self.ticked.add if on else self.ticked.discard)(key)
            self.dataChanged.emit(index, index)
            self.tick_toggled.emit(r.path, on)
            return True
        if column is Column.NAME and role == Qt.ItemDataRole.EditRole:
            name = str(value).strip()
            if name == r.name:
                return False
            try:
                updated = rename_run(r.path, name)
            except (RunFolderError, OSError) as exc:
                why = self.tr("Could not rename {name}: {reason}")
                self.rename_failed.emit(why.format(name=r.name, reason=exc))
                return False
            updated.changes = r.changes
            self.records[index.row()] = updated
            self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 1))
            self.renamed.emit(r.path)
            return True
        return False


# ---- what a cell says -----------------------------------------------------------------------------
def _display(r: RunRecord, column: Column) -> str | None:
    if column is Column.NAME:
        return r.name + ("  ✎" if r.manifest.note else "")
    if column is Column.STARTED:
        return _started(r.started)
    if column is Column.STATUS:
        return status_name(r.status)
    if column is Column.EPOCHS:
        asked = r.manifest.epochs_asked
        return f"{r.epochs_done}/{asked}" if asked else str(r.epochs_done)
    if column is Column.BEST:
        return best_text(r)
    if column is Column.CHANGES:
        return "; ".join(r.changes)
    return None


def status_name(status: RunStatus) -> str:
    """``finished`` in the user's language."""
    return QCoreApplication.translate("RunsModel", STATUS_NAMES[status])  # i18n: NOOPs above


def _started(started: datetime | None) -> str:
    if started is None:
        return "?"
    today = datetime.now(started.tzinfo).date()
    if started.date() == today:
        return QCoreApplication.translate("RunsModel", "today {clock}").format(
            clock=started.strftime("%H:%M")
        )
    return started.strftime("%Y-%m-%d %H:%M")


def best_text(r: RunRecord) -> str:
    """The best epoch in a few characters: its accuracy when measured, else the loss chosen on."""
    best = r.best
    if best is None:
        return ""
    split = best.name.split("_")[0]
    for metric in ("accuracy", "mae"):
        value = best.metrics.get(f"{split}_{metric}")
        if value is not None:
            return f"{100 * value:.1f} %" if metric == "accuracy" else f"MAE {value:.4g}"
    return QCoreApplication.translate("RunsModel", "loss {value:.4g}").format(value=best.value)


def _tooltip(r: RunRecord, column: Column) -> str:
    m = r.manifest
    lines = [f"{r.name} — {status_name(r.status)}", str(r.path)]
    if column is Column.BEST and r.best is not None:
        b = r.best
        lowest = split_metric_label(b.name)
        lines = [
            QCoreApplication.translate("RunsModel", "best epoch {epoch} (lowest {what})").format(
                epoch=b.epoch, what=lowest
            )
        ]
        lines += [f"{split_metric_label(k)}: {v:.4g}" for k, v in b.metrics.items()]
        return "\n".join(lines)
    if column is Column.CHANGES and r.changes:
        return (
            QCoreApplication.translate("RunsModel", "Changed from the run before:")
            + "\n"
            + "\n".join(r.changes)
        )
    if column is Column.STARTED:
        lines = [
            QCoreApplication.translate("RunsModel", "started {when}").format(when=m.started or "?")
        ]
        if m.ended:
            lines.append(
                QCoreApplication.translate("RunsModel", "ended {when}").format(when=m.ended)
            )
        return "\n".join(lines)
    if m.note:
        lines.append(QCoreApplication.translate("RunsModel", "Note: {note}").format(note=m.note))
    if m.error:
        lines.append(
            QCoreApplication.translate("RunsModel", "Error: {error}").format(
                error=m.error.splitlines()[0]
            )
        )
    if m.resumed_from:
        lines.append(
            QCoreApplication.translate("RunsModel", "Resumed from {run}").format(run=m.resumed_from)
        )
    if r.status is RunStatus.INTERRUPTED:
        lines.append(
            QCoreApplication.translate(
                "RunsModel",
                "Its process ended without saying so (closed or killed); last.pt holds the last "
                "epoch written",
            )
        )
    return "\n".join(lines)
