"""Quitting after a Copy: nodeml's clipboard data is released while Python is still alive."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData

from nodeml.ui.app import release_clipboard
from nodeml.ui.document import CLIPBOARD_MIME


def test_nodeml_clipboard_data_is_released_at_exit(qapp):
    mime = QMimeData()
    mime.setData(CLIPBOARD_MIME, QByteArray(b'{"nodes": [], "edges": []}'))
    qapp.clipboard().setMimeData(mime)
    assert qapp.clipboard().mimeData().hasFormat(CLIPBOARD_MIME)
    release_clipboard(qapp)
    left = qapp.clipboard().mimeData()
    assert left is None or not left.hasFormat(CLIPBOARD_MIME)


def test_a_copy_then_quit_exits_cleanly(tmp_path):
    """The real app, copying a node then quitting, in a child process: exit status 0 (it was a
    segfault, 139, when the clipboard's data outlived the interpreter)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = tmp_path / "quit.py"
    script.write_text(
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "import nodeml.ui.app as app\n"
        "from nodeml.ui import main_window\n"
        "show = main_window.MainWindow.show\n"
        "def copy_and_quit(w):\n"
        "    w.view.select_node('conv1'); w.copy_action.trigger()\n"
        "    w.document.undo_stack.setClean()\n"
        "    QTimer.singleShot(50, QApplication.quit)\n"
        "def shown(self):\n"
        "    show(self); QTimer.singleShot(200, lambda: copy_and_quit(self))\n"
        "main_window.MainWindow.show = shown\n"
        f"sys.exit(app.main([{str(root / 'sample_graphs' / 'lenet.json')!r}]))\n"
    )
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(root),
        XDG_CONFIG_HOME=str(tmp_path),
        XDG_DATA_HOME=str(tmp_path),
    )
    done = subprocess.run([sys.executable, str(script)], env=env, timeout=120, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
