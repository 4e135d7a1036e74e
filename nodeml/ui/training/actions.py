"""The training actions (Train, Pause, Stop, Evaluate, checkpoints) for the window to put in its menus."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from .session import SessionState


def _action(
    parent: QWidget, text: str, slot: Callable[[], object], shortcut: str | None, tip: str
) -> QAction:
    action = QAction(text, parent)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action


@dataclass
class TrainingActions:
    """The actions; the window decides where they go (``fill_menu`` fills a Training menu,
    ``checkpoint_actions`` go in File too), ``sync`` enables them for the session's state."""

    train: QAction
    pause: QAction
    stop: QAction
    evaluate: QAction
    save_checkpoint: QAction
    load_checkpoint: QAction
    resume: QAction

    @classmethod
    def create(cls, parent: QWidget, presenter: object) -> TrainingActions:
        p = presenter
        return cls(
            train=_action(
                parent,
                QCoreApplication.translate("Training", "&Train"),
                p.train,
                "F5",
                QCoreApplication.translate("Training", "Train the model on the chosen dataset"),
            ),
            pause=_action(
                parent,
                QCoreApplication.translate("Training", "&Pause"),
                p.toggle_pause,
                "F6",
                QCoreApplication.translate("Training", "Pause or resume training"),
            ),
            stop=_action(
                parent,
                QCoreApplication.translate("Training", "&Stop"),
                p.stop,
                "Shift+F5",
                QCoreApplication.translate("Training", "Stop training after this batch"),
            ),
            evaluate=_action(
                parent,
                QCoreApplication.translate("Training", "&Evaluate"),
                p.evaluate,
                "F7",
                QCoreApplication.translate("Training", "Test the trained model"),
            ),
            save_checkpoint=_action(
                parent,
                QCoreApplication.translate("Training", "Save &Checkpoint…"),
                p.save_checkpoint,
                None,
                QCoreApplication.translate(
                    "Training",
                    "Save a copy of the run's checkpoint (weights, optimizer and history)",
                ),
            ),
            load_checkpoint=_action(
                parent,
                QCoreApplication.translate("Training", "&Load Checkpoint…"),
                p.load_checkpoint,
                None,
                QCoreApplication.translate(
                    "Training", "Load weights into the model (then Evaluate, or Train from them)"
                ),
            ),
            resume=_action(
                parent,
                QCoreApplication.translate("Training", "&Resume from Checkpoint…"),
                p.resume,
                None,
                QCoreApplication.translate(
                    "Training", "Continue a run where its checkpoint stopped"
                ),
            ),
        )

    def fill_menu(self, menu: QMenu, *more: QAction) -> None:
        """The Training menu: run controls, Evaluate, checkpoints, then ``more``."""
        menu.addActions([self.train, self.pause, self.stop])
        menu.addSeparator()
        menu.addAction(self.evaluate)
        menu.addSeparator()
        menu.addActions(self.checkpoint_actions)
        if more:
            menu.addSeparator()
            menu.addActions(list(more))

    @property
    def checkpoint_actions(self) -> list[QAction]:
        return [self.save_checkpoint, self.load_checkpoint, self.resume]

    def sync(self, state: SessionState, *, can_evaluate: bool, can_save: bool) -> None:
        idle = state is SessionState.IDLE
        self.train.setEnabled(idle)
        live = state in (SessionState.RUNNING, SessionState.PAUSED)
        self.pause.setEnabled(live)
        self.pause.setText(
            QCoreApplication.translate("Training", "&Resume")
            if state is SessionState.PAUSED
            else QCoreApplication.translate("Training", "&Pause")
        )
        self.stop.setEnabled(live or state is SessionState.STARTING)
        self.evaluate.setEnabled(can_evaluate)
        self.save_checkpoint.setEnabled(can_save)
        self.load_checkpoint.setEnabled(idle)
        self.resume.setEnabled(idle)
