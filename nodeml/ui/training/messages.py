"""Dialogs the training UI shows: failures with their fix, checkpoints that do not fit, a run to stop."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from ..document import Document
from .checkpoint_fit import CheckpointFit
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


class CheckpointChoice(Enum):
    OPEN_GRAPH = "open the checkpoint's graph"
    LOAD_FITTING = "load the weights that fit"
    CANCEL = "cancel"


def ask_checkpoint_choice(parent: QWidget, fit: CheckpointFit, resuming: bool) -> CheckpointChoice:
    """The checkpoint does not fit the open graph: say what differs; offer its own graph, and
    (for weights, not a resume, which needs them all) the weights that fit."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Checkpoint does not fit the graph")
    name = fit.carried_name()
    trained = f"{fit.path.name} was trained on “{name}”" if name else f"{fit.path.name}"
    if fit.diff is None:
        text = f"{trained}, and {fit.why_not}."
    else:
        parts = []
        if fit.diff.missing:
            parts.append(f"{len(fit.diff.missing)} missing")
        if fit.diff.unexpected:
            parts.append(f"{len(fit.diff.unexpected)} unexpected")
        if fit.diff.mismatched:
            parts.append(f"{len(fit.diff.mismatched)} with another shape")
        text = (
            f"{trained}; its weights do not all fit the open graph ({', '.join(parts)}). "
            f"{fit.fitting} of the model's {fit.total} tensors fit."
        )
    if fit.changes:
        shown = "; ".join(fit.changes[:4]) + (" …" if len(fit.changes) > 4 else "")
        text += f"\n\nThe open graph differs from it: {shown}"
    box.setText(text)
    details = "\n".join(fit.changes)
    if fit.diff is not None:
        details = "\n".join(p for p in (details, fit.diff.describe()) if p)
    if details:
        box.setDetailedText(details)
    buttons = {}
    if fit.carried is not None:
        label = "Open Its Graph" if not name else f"Open “{name}”"
        buttons[box.addButton(label, QMessageBox.ButtonRole.AcceptRole)] = (
            CheckpointChoice.OPEN_GRAPH
        )
    if fit.diff is not None and fit.fitting and not resuming:
        buttons[
            box.addButton(f"Load the {fit.fitting} That Fit", QMessageBox.ButtonRole.ApplyRole)
        ] = CheckpointChoice.LOAD_FITTING
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return buttons.get(box.clickedButton(), CheckpointChoice.CANCEL)


def ask_stop_run(parent: QWidget, action: str, run_dir: Path | None, progress: str) -> bool:
    """A run is on and the user wants to ``action`` ("quit"): True to stop the run and go on."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Training is running")
    box.setText(f"A run is training{f' ({progress})' if progress else ''}. Stop it and {action}?")
    where = f" in {run_dir}" if run_dir is not None else ""
    box.setInformativeText(
        f"It stops after the current batch and keeps what it trained{where} "
        "(last.pt, best.pt): resume it later from there."
    )
    stop = box.addButton(f"Stop and {action.capitalize()}", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is stop
