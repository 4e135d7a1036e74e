"""Dialogs the training UI shows: a failed job (with a fix when one is known), a partial load."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ...core.checkpoint import StateDiff
from ..document import Document
from .jobs import JobError


def format_eta(seconds: float) -> str:
    """``42 s``, ``3:05``, ``1:02:03``."""
    if seconds != seconds or seconds == float("inf"):
        return "—"
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def input_fix(err: JobError) -> tuple[str, object] | None:
    """(param, value) that makes the Input node fit the dataset, when that is the problem."""
    if err.info is None or err.node is None:
        return None
    if err.field == "shape":
        return "shape", list(err.info.sample_shape)
    if err.field == "dtype":
        return "dtype", "long" if not err.info.dtype.startswith(("float", "bfloat")) else "float32"
    return None


def show_job_error(parent: QWidget, err: JobError, document: Document) -> None:
    """A dialog saying what failed and where; offers to fix the Input node when that is the cause."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Training")
    where = f" (node {err.node})" if err.node and f"node {err.node}" not in err.message else ""
    box.setText(f"{err.message}{where}")
    if len(err.problems) > 1:
        box.setInformativeText("\n".join(str(p) for p in err.problems[1:8]))
    if err.details:
        box.setDetailedText(err.details)
    fix = input_fix(err)
    fix_button = None
    if fix is not None:
        name, value = fix
        fix_button = box.addButton(
            f"Set {err.node}.{name} to {value}", QMessageBox.ButtonRole.AcceptRole
        )
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if fix is not None and box.clickedButton() is fix_button and err.node in document.graph:
        document.set_param(err.node, fix[0], fix[1])


def ask_partial_load(parent: QWidget, diff: StateDiff, fitting: int, total: int) -> bool:
    """The checkpoint does not fit the graph: list what differs; True to load what fits."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Checkpoint does not fit the graph")
    parts = []
    if diff.missing:
        parts.append(f"{len(diff.missing)} missing")
    if diff.unexpected:
        parts.append(f"{len(diff.unexpected)} unexpected")
    if diff.mismatched:
        parts.append(f"{len(diff.mismatched)} with another shape")
    box.setText(
        f"The checkpoint's weights do not all fit this graph ({', '.join(parts)}).\n"
        f"{fitting} of the model's {total} tensors can be loaded; the others keep fresh values."
    )
    box.setDetailedText(diff.describe())
    load = box.addButton(f"Load the {fitting} that fit", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is load
