"""UI test setup: Qt draws offscreen, and every test gets its own settings and recovery folders."""

from __future__ import annotations

import os

# before any Qt import: the tests run without a display
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402

TEST_ORG = "nodeml-tests"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch, qapp):
    """QSettings, recent files and the recovery copy live in this test's tmp dir, never ~."""
    config, data = tmp_path / "config", tmp_path / "data"
    config.mkdir()
    data.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    QCoreApplication.setOrganizationName(TEST_ORG)
    QCoreApplication.setApplicationName("nodeml-test")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(config))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(config))
    yield tmp_path


class Dialogs:
    """Records every QMessageBox the app opens and answers with ``answer`` (no modal loop)."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answer = None

    def kinds(self) -> list[str]:
        return [k for k, _, _ in self.shown]


@pytest.fixture
def dialogs(monkeypatch) -> Dialogs:
    from PySide6.QtWidgets import QMessageBox

    record = Dialogs()
    record.answer = QMessageBox.StandardButton.Cancel

    def fake(kind):
        def show(_parent, title, text, *args, **kwargs):
            record.shown.append((kind, title, text))
            return record.answer

        return show

    for kind in ("question", "critical", "warning", "information", "about"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(fake(kind)))
    return record


@pytest.fixture
def window(qtbot, dialogs):
    """A shown main window with the default layout and no autosave timer."""
    from nodeml.ui.main_window import MainWindow

    win = MainWindow(restore_layout=False, recovery=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.document.undo_stack.setClean()  # closing at teardown must not ask


@pytest.fixture
def lenet_window(window, tmp_path):
    """The window with a copy of the LeNet sample open (saving never touches the repo)."""
    import shutil

    from app_fixtures import LENET

    copy = tmp_path / "lenet.json"
    shutil.copyfile(LENET, copy)
    assert window.open_path(copy)
    return window


@pytest.fixture(autouse=True, scope="session")
def _clipboard_emptied_before_exit(qapp):
    """Qt's exit handlers delete the clipboard's data after Python has finalized; data that a
    test put there (copy/paste, or a line edit's text selection) then crashes the process at exit
    with a segfault. Empty both clipboards while Python is still alive."""
    yield
    from PySide6.QtGui import QClipboard

    clipboard = qapp.clipboard()
    clipboard.clear(QClipboard.Mode.Clipboard)
    if clipboard.supportsSelection():
        clipboard.clear(QClipboard.Mode.Selection)
    qapp.processEvents()


@pytest.fixture
def one_torch_thread():
    """Tiny models on a shared 2-core machine: torch's intra-op threads only add contention
    with the UI thread."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def shown_boxes(monkeypatch):
    """Every QMessageBox instance the app opens with exec(); exec returns at once (Close)."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[QMessageBox] = []

    def fake_exec(box):
        shown.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown
