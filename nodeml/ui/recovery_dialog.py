"""The offer after a crash: the unsaved copies dead sessions left, each to restore or discard."""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QLocale, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import GraphFormatError
from ..core.recovery import RecoveredCopy, RecoveryTaken, same_file
from ..core.serialize import load_graph
from .language import installed_language

COLUMNS = (
    QT_TRANSLATE_NOOP("RecoveryDialog", "Document"),
    QT_TRANSLATE_NOOP("RecoveryDialog", "Folder"),
    QT_TRANSLATE_NOOP("RecoveryDialog", "Autosaved"),
    QT_TRANSLATE_NOOP("RecoveryDialog", "Nodes"),
)


def when_text(saved_at: datetime, now: datetime | None = None) -> str:
    """``today 14:32 (3 min ago)``, ``yesterday 09:10``, ``3 Mar 14:32``, ``3 Mar 2024 14:32``."""
    now = now or datetime.now().astimezone()
    local = saved_at.astimezone(now.tzinfo)
    clock = local.strftime("%H:%M")
    if local.date() == now.date():
        ago = now - local
        if timedelta(0) <= ago < timedelta(hours=1):
            minutes = int(ago.total_seconds() // 60)
            if not minutes:
                return QCoreApplication.translate("Recovery", "today {clock} (just now)").format(
                    clock=clock
                )
            return QCoreApplication.translate(
                "Recovery", "today {clock} ({minutes} min ago)"
            ).format(clock=clock, minutes=minutes)
        return QCoreApplication.translate("Recovery", "today {clock}").format(clock=clock)
    if local.date() == (now - timedelta(days=1)).date():
        return QCoreApplication.translate("Recovery", "yesterday {clock}").format(clock=clock)
    # a Qt date pattern each language orders its own way ("d MMM": 4 Mar; "M월 d일": 3월 4일)
    if local.year == now.year:
        pattern = QCoreApplication.translate("Recovery", "d MMM")
    else:
        pattern = QCoreApplication.translate("Recovery", "d MMM yyyy")
    date = QLocale(installed_language()).toString(
        QDate(local.year, local.month, local.day), pattern
    )
    return f"{date} {clock}"


def folder_text(copy: RecoveredCopy) -> str:
    if copy.path is not None:
        return str(copy.path.parent)
    if copy.typed_name:
        return QCoreApplication.translate("Recovery", "folder not recorded")
    return QCoreApplication.translate("Recovery", "never saved")


class RecoveryDialog(QDialog):
    """Lists ``copies``; Restore picks one (``chosen``), Discard deletes one after asking, Later
    keeps them all for next time. ``about``: the file being opened, when the offer is for it."""

    def __init__(
        self, copies: list[RecoveredCopy], parent: QWidget | None = None, about: Path | None = None
    ):
        super().__init__(parent)
        self.setObjectName("recoveryDialog")
        self.setWindowTitle(self.tr("Recover unsaved work"))
        self.copies = list(copies)
        self.about = about
        self.chosen: RecoveredCopy | None = None
        self.discarded: list[RecoveredCopy] = []
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 14, 16, 12)
        box.setSpacing(10)
        self.heading = QLabel(self._heading(about))
        self.heading.setWordWrap(True)
        box.addWidget(self.heading)
        self.table = QTreeWidget(self)
        self.table.setObjectName("recoveryCopies")
        self.table.setColumnCount(len(COLUMNS))
        self.table.setHeaderLabels([self.tr(c) for c in COLUMNS])  # i18n: NOOPs above
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for copy in self.copies:
            self.table.addTopLevelItem(self._row(copy))
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.table.itemDoubleClicked.connect(lambda *_: self.restore_selected())
        box.addWidget(self.table, 1)
        self.details = QLabel(self)
        self.details.setObjectName("recoveryDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.details)
        buttons = QDialogButtonBox(self)
        self.restore_button = QPushButton(self.tr("Restore"))
        self.restore_button.setDefault(True)
        self.discard_button = QPushButton(self.tr("Discard…"))
        self.later_button = QPushButton(self.tr("Decide Later"))
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        # the box's own accepted/rejected would close the dialog before a choice is recorded
        self.restore_button.clicked.connect(self.restore_selected)
        self.discard_button.clicked.connect(self.discard_selected)
        self.later_button.clicked.connect(self.reject)
        box.addWidget(buttons)
        self.resize(720, 180 + 28 * min(len(self.copies), 8))
        if self.copies:
            self.table.setCurrentItem(self.table.topLevelItem(0))

    def _heading(self, about: Path | None) -> str:
        if about is not None:
            return self.tr(
                "<b>{name} has unsaved changes</b> from a nodeml session that did not close "
                "normally. Restore them, or discard them and keep the file as it is?"
            ).format(name=escape(about.name))
        if len(self.copies) == 1:
            return self.tr(
                "<b>nodeml did not close normally.</b> Unsaved changes to {name} were autosaved "
                "before it stopped. Restore them, or discard them?"
            ).format(name=escape(self.copies[0].title))
        return self.tr(
            "<b>nodeml did not close normally.</b> Unsaved changes to these {count} documents "
            "were autosaved before it stopped. Restore the one to go on with; the others are "
            "kept for later (File → Recover Unsaved Work…)."
        ).format(count=len(self.copies))

    def _row(self, copy: RecoveredCopy) -> QTreeWidgetItem:
        nodes = str(len(copy.graph)) if copy.graph is not None else "—"
        item = QTreeWidgetItem([copy.title, folder_text(copy), when_text(copy.saved_at), nodes])
        item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setToolTip(1, str(copy.path) if copy.path else folder_text(copy))
        item.setData(0, Qt.ItemDataRole.UserRole, str(copy.file))
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        if copy.graph is None:
            item.setForeground(0, self.palette().placeholderText())
        return item

    # ---- selection ---------------------------------------------------------------------------
    def selected(self) -> RecoveredCopy | None:
        item = self.table.currentItem()
        file = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return next((c for c in self.copies if str(c.file) == file), None)

    def select(self, copy: RecoveredCopy) -> None:
        self.table.setCurrentItem(self.table.topLevelItem(self.copies.index(copy)))

    def _on_selection(self) -> None:
        copy = self.selected()
        self.restore_button.setEnabled(copy is not None and copy.graph is not None)
        self.discard_button.setEnabled(copy is not None)
        self.details.setText(details_text(copy) if copy is not None else "")

    # ---- choices -----------------------------------------------------------------------------
    def restore_selected(self) -> None:
        copy = self.selected()
        if copy is None or copy.graph is None:
            return
        self.chosen = copy
        self.accept()

    def discard_selected(self) -> bool:
        """Delete the selected copy after the user confirms; the dialog closes when none are
        left. True when it was deleted."""
        copy = self.selected()
        if copy is None:
            return False
        answer = QMessageBox.question(
            self,
            self.tr("Discard unsaved changes?"),
            self.tr(
                "Discard the unsaved changes to “{name}” autosaved {when}? They cannot be "
                "recovered afterwards."
            ).format(name=copy.title, when=when_text(copy.saved_at)),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Discard:
            return False
        copy.discard()
        self.discarded.append(copy)
        index = self.copies.index(copy)
        self.copies.pop(index)
        self.table.takeTopLevelItem(index)
        self.heading.setText(self._heading(self.about))
        self._on_selection()
        if not self.copies:
            QTimer.singleShot(0, self.reject)  # after this click has been handled
        return True


def details_text(copy: RecoveredCopy) -> str:
    """Rich text under the list about the selected copy: where it goes, what is on disk."""
    if copy.graph is None:
        text = QCoreApplication.translate(
            "Recovery", "This copy cannot be read ({problem}); it can only be discarded."
        )
        return escape(text.format(problem=copy.problem))
    when = copy.saved_at.strftime("%Y-%m-%d %H:%M:%S")
    if copy.path is None:
        if copy.typed_name:
            text = QCoreApplication.translate(
                "Recovery",
                "Autosaved {when}, from “{name}” (its folder was not recorded): Save will ask "
                "where to keep it.",
            )
            return escape(text.format(when=when, name=copy.typed_name))
        text = QCoreApplication.translate(
            "Recovery", "“{name}”, never saved, autosaved {when}: Save asks where."
        )
        return escape(text.format(name=copy.graph.name, when=when))
    autosaved = QCoreApplication.translate("Recovery", "autosaved {when}").format(when=when)
    parts = [escape(f"{copy.path} · {autosaved}")]
    if not copy.path.exists():
        parts.append(
            QCoreApplication.translate(
                "Recovery", "the file is no longer there: Save writes it again"
            )
        )
    else:
        try:
            text = QCoreApplication.translate(
                "Recovery", "{copy} nodes in this copy, {file} in the file"
            )
            parts.append(text.format(copy=len(copy.graph), file=len(load_graph(copy.path))))
        except GraphFormatError:
            parts.append(QCoreApplication.translate("Recovery", "the file there cannot be read"))
        if copy.disk_changed():
            changed = QCoreApplication.translate(
                "Recovery", "the file was saved again after this copy"
            )
            parts.append(f"<b>{changed}</b>")
    return " · ".join(parts)


def offer(window, about: Path | None = None) -> bool:
    """Offer the copies dead sessions left (of ``about`` only, when opening that file) in the
    window; True when one was restored into it."""
    copies = window.recovery.pending(about)
    if not copies:
        return False
    current = window.document.path
    if about is None and current is not None:  # the file just opened first
        copies.sort(key=lambda c: c.path is None or not same_file(c.path, current))
    dialog = RecoveryDialog(copies, window, about)
    dialog.exec()
    chosen = dialog.chosen
    if chosen is None or chosen.graph is None:
        if dialog.copies:
            window.statusBar().showMessage(_kept_text(len(dialog.copies)), 8000)
        return False
    if not window.maybe_save():
        return False
    try:
        window.recovery.adopt(chosen)
    except RecoveryTaken:
        text = QCoreApplication.translate(
            "Recovery", "The copy of {name} was taken by another nodeml window"
        )
        window.statusBar().showMessage(text.format(name=chosen.title), 8000)
        return False
    window.document.restore(chosen.graph, chosen.path)
    window.recovery.save_now()  # under this window's name at once, before anything else
    QTimer.singleShot(0, window.view.frame_graph)
    left = len(dialog.copies) - 1
    text = QCoreApplication.translate(
        "Recovery", "Restored the unsaved changes to {name}, autosaved {when}"
    ).format(name=chosen.title, when=when_text(chosen.saved_at))
    window.statusBar().showMessage(text + (f" · {_kept_text(left)}" if left else ""), 10000)
    return True


def _kept_text(n: int) -> str:
    if n == 1:
        return QCoreApplication.translate(
            "Recovery", "1 unsaved copy is kept: File → Recover Unsaved Work…"
        )
    return QCoreApplication.translate(
        "Recovery", "{count} unsaved copies are kept: File → Recover Unsaved Work…"
    ).format(count=n)
