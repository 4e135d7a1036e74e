"""Transfer learning in the window: the four one-click presets, and random weights when offline."""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core import transfer
from ..core.display import format_count
from ..core.errors import PretrainedWeightsError
from .catalog_text import catalog_text
from .document import Document
from .theme import TextRole, current_theme, set_role

ROWS = (
    ("much", QT_TRANSLATE_NOOP("TransferDialog", "Much data")),
    ("little", QT_TRANSLATE_NOOP("TransferDialog", "Little data")),
)
COLUMNS = (
    ("similar", QT_TRANSLATE_NOOP("TransferDialog", "Task like ImageNet photos")),
    ("different", QT_TRANSLATE_NOOP("TransferDialog", "Task unlike ImageNet")),
)


def param_counts(document: Document) -> transfer.ParamCounts:
    """Trainable and frozen parameters of the whole model, from its live inference."""
    return transfer.param_counts(document.graph, document.inference)


def counts_text(document: Document) -> str:
    counts = param_counts(document)
    return QCoreApplication.translate(
        "Transfer", "{trainable} trainable · {frozen} frozen of {total} params"
    ).format(
        trainable=format_count(counts.trainable),
        frozen=format_count(counts.frozen),
        total=format_count(counts.total),
    )


class PresetCard(QFrame):
    """One situation: its title, its sentence and an Apply button (a warning has none)."""

    def __init__(self, preset: transfer.Preset, apply, parent: QWidget | None = None):
        super().__init__(parent)
        self.preset = preset
        self.setObjectName(f"preset_{preset.key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        warning = current_theme().warning.name()
        edge = warning if preset.warning else "rgba(128,128,128,0.45)"
        self.setStyleSheet(
            f"#preset_{preset.key} {{ border: 1px solid {edge}; border-radius: 8px; }}"
        )
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 10, 12, 10)
        title = QLabel(("⚠  " if preset.warning else "") + catalog_text(preset.title))
        title.setStyleSheet(
            f"font-size: 13px; font-weight: 600; color: {warning};"
            if preset.warning
            else "font-size: 13px; font-weight: 600;"
        )
        advice = QLabel(catalog_text(preset.advice))
        advice.setObjectName("advice")
        advice.setWordWrap(True)
        advice.setMinimumWidth(250)
        box.addWidget(title)
        box.addWidget(advice, 1)
        if preset.warning:
            self.button = None
            note = QLabel(self.tr("Nothing is changed for this one."))
            set_role(note, TextRole.MUTED)
            box.addWidget(note)
        else:
            self.button = QPushButton(self.tr("Apply"))
            self.button.setObjectName(f"apply_{preset.key}")
            self.button.clicked.connect(lambda: apply(preset.key))
            box.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)


class TransferDialog(QDialog):
    """The 2 x 2 of the usual advice: how much data, and how close the task is to ImageNet."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.applied: list[transfer.Edit] | None = None
        self.setWindowTitle(self.tr("Transfer learning"))
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 14, 16, 12)
        box.setSpacing(10)
        graph = document.graph
        found = transfer.backbones(graph)
        head = transfer.head(graph, document.inference)
        heads = ", ".join(head) or self.tr("none")
        if found:
            named = ", ".join(f"{nid} ({graph.node(nid).type})" for nid in found)
            what = self.tr("Backbone: <b>{backbones}</b> · head: <b>{head}</b>")
            what = what.format(backbones=named, head=heads)
        else:
            what = self.tr(
                "No pretrained backbone in this model: add one from the palette (Pretrained "
                "backbones). Head: <b>{head}</b>"
            ).format(head=heads)
        pick = self.tr("Pick the situation that matches yours; one click applies it.")
        intro = QLabel(f"{pick}<br>{what}")
        intro.setWordWrap(True)
        box.addWidget(intro)
        grid = QGridLayout()
        grid.setSpacing(10)
        for c, (_task, label) in enumerate(COLUMNS):
            heading = QLabel(self.tr(label))  # i18n: NOOPs above
            heading.setStyleSheet("font-weight: 600;")
            set_role(heading, TextRole.MUTED)
            grid.addWidget(heading, 0, c + 1, Qt.AlignmentFlag.AlignCenter)
        self.cards: dict[str, PresetCard] = {}
        for r, (data, label) in enumerate(ROWS):
            side = QLabel(self.tr(label))  # i18n: NOOPs above
            side.setStyleSheet("font-weight: 600;")
            set_role(side, TextRole.MUTED)
            grid.addWidget(side, r + 1, 0, Qt.AlignmentFlag.AlignRight)
            for c, (task, _label) in enumerate(COLUMNS):
                card = PresetCard(transfer.preset_for(data, task), self.apply, self)
                self.cards[card.preset.key] = card
                grid.addWidget(card, r + 1, c + 1)
        box.addLayout(grid)
        self.counts = QLabel(counts_text(document))
        self.counts.setObjectName("counts")
        set_role(self.counts, TextRole.MUTED)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        footer = QGridLayout()
        footer.addWidget(self.counts, 0, 0)
        footer.addWidget(buttons, 0, 1)
        box.addLayout(footer)

    def apply(self, key: str) -> list[transfer.Edit]:
        """Apply preset ``key`` as one undo step; returns its edits."""
        chosen = transfer.preset(key)
        edits = transfer.preset_edits(self.document.graph, key, self.document.inference)
        text = QCoreApplication.translate("Undo", "Transfer: {preset}")
        self.document.apply_edits(edits, text.format(preset=catalog_text(chosen.title)))
        self.applied = edits
        self.counts.setText(counts_text(self.document))
        self.accept()
        return edits


def show_transfer_dialog(window) -> TransferDialog:
    """Model → Transfer Learning…: open the dialog; the status bar says what was applied."""
    dialog = TransferDialog(window.document, window)
    dialog.setModal(True)

    def done() -> None:
        if dialog.applied is not None:
            n = len(dialog.applied)
            text = QCoreApplication.translate("Transfer", "Applied: {count} change(s) · {counts}")
            window.statusBar().showMessage(
                text.format(count=n, counts=counts_text(window.document)), 6000
            )

    dialog.accepted.connect(done)
    dialog.open()
    return dialog


def ask_random_weights(parent: QWidget, error: PretrainedWeightsError) -> bool:
    """Offline and uncached: offer to go on with random weights. True when chosen."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("Transfer", "Pretrained weights not available"))
    box.setText(str(error))
    box.setInformativeText(
        QCoreApplication.translate(
            "Transfer",
            "Connect to the internet once to download them into the torch cache, or continue "
            "with random weights (the backbone's weights param becomes none; Undo puts it back).",
        )
    )
    cont = box.addButton(
        QCoreApplication.translate("Transfer", "Continue with random weights"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is cont


def offer_random_weights(window, error: PretrainedWeightsError) -> bool:
    """Ask, and when the user agrees set the affected backbones to random weights (undoable)."""
    if not ask_random_weights(window, error):
        return False
    window.document.use_random_weights(error.nodes)
    text = QCoreApplication.translate(
        "Transfer", "{nodes}: random weights (weights = none); Undo to ask for them again"
    )
    window.statusBar().showMessage(text.format(nodes=", ".join(error.nodes)), 6000)
    return True


def pretrained_hint(node: Any, params: Container[str]) -> str:
    """For a backbone (a node with ``features_only`` among its ``params``) asking for ImageNet
    weights: whether they are cached, or what will happen when they are not."""
    if node.params.get("weights") != "DEFAULT" or "features_only" not in params:
        return ""
    from ..core.pretrained import weights_file

    try:
        cached = weights_file(node.type).exists()
    except (ValueError, KeyError, ImportError):
        return ""
    if cached:
        return QCoreApplication.translate("Transfer", "ImageNet weights: in the torch cache.")
    return QCoreApplication.translate(
        "Transfer",
        "ImageNet weights are not in the torch cache yet: they are downloaded once when the "
        "model is built (training, export). Offline, you can continue with random weights.",
    )


def freeze_all_but_head(window) -> list[str]:
    """Model → Freeze All but the Head: one undo step; the status bar gives the new counts."""
    head = window.document.freeze_all_but_head()
    counts = param_counts(window.document)
    text = QCoreApplication.translate(
        "Transfer", "Head: {head} · {trainable:,} trainable, {frozen:,} frozen params"
    )
    heads = ", ".join(head) or QCoreApplication.translate("Transfer", "none found")
    window.statusBar().showMessage(
        text.format(head=heads, trainable=counts.trainable, frozen=counts.frozen), 6000
    )
    return head


def unfreeze_all(window) -> None:
    """Model → Unfreeze All: every node with weights trains again (one undo step)."""
    doc = window.document
    wanted = dict.fromkeys(transfer.weighted_nodes(doc.graph, doc.inference), True)
    text = QCoreApplication.translate("Undo", "Unfreeze all")
    doc.apply_edits(transfer.trainable_edits(doc.graph, wanted), text)
