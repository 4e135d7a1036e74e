"""Opening the app as a user does (`nodeml GRAPH`), watched from inside a child process: what is
on screen first, what has been imported by then, and that the first window has the graph in it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LENET = ROOT / "sample_graphs" / "lenet.json"

# Watches every paint (QApplication is made first, so the app reuses it and its event filter)
# and reports, as JSON, what was painted first, what was imported at each moment, what the main
# window held when it showed, and whether the splash was gone once the graph was on screen.
_PROBE = r"""
import json, os, sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([sys.argv[0]])
seen = {}
def modules():
    watched = ("torch", "torchvision", "torch._dynamo", "pyqtgraph")
    return sorted(m for m in watched if m in sys.modules)
def report():
    splash = [w for w in app.topLevelWidgets() if w.objectName() == "startupSplash"]
    seen["splash_left_open"] = any(w.isVisible() for w in splash)
    seen["collecting garbage"] = __import__("gc").isenabled()
    print("PROBE " + json.dumps(seen), flush=True)
    os._exit(0)
class Probe(QObject):
    def eventFilter(self, obj, event):
        try:
            return self.watch(obj, event)
        except Exception as exc:  # a broken probe must end the child, not leave it running
            seen["error"] = repr(exc)
            report()
    def watch(self, obj, event):
        if event.type() == QEvent.Type.Show and isinstance(obj, QMainWindow):
            seen["window shown"] = {"nodes on canvas": len(obj.view.editor_scene.nodes)}
        if event.type() != QEvent.Type.Paint or not obj.isWidgetType():
            return False
        if "first" not in seen:
            seen["first"] = {"widget": obj.window().objectName(), "modules": modules()}
        scene = getattr(obj.parent(), "editor_scene", None)
        if scene is not None and scene.items() and "graph" not in seen:
            seen["graph"] = {"modules": modules()}
            deadline = time.monotonic() + 60
            def wait_for_splash():
                gone = not any(w.isVisible() for w in app.topLevelWidgets()
                               if w.objectName() == "startupSplash")
                if gone or time.monotonic() > deadline:
                    report()
                from PySide6.QtCore import QTimer
                QTimer.singleShot(10, wait_for_splash)
            wait_for_splash()
        return False
probe = Probe()
app.installEventFilter(probe)
from nodeml.cli import main
sys.argv = ["nodeml", *sys.argv[1:]]
main()  # as the program: with the collector paused while it starts
"""


@pytest.fixture(scope="module")
def opened(tmp_path_factory) -> dict:
    home = tmp_path_factory.mktemp("home")
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(ROOT),
        XDG_CONFIG_HOME=str(home),
        XDG_DATA_HOME=str(home),
    )
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(LENET)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("PROBE ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    return json.loads(lines[-1].removeprefix("PROBE "))


def test_the_splash_is_on_screen_before_torch_is_imported(opened):
    """torch takes seconds to import (many on a busy machine): something shows at once."""
    assert opened["first"] == {"widget": "startupSplash", "modules": []}


def test_the_window_shows_with_the_graph_already_in_it(opened):
    """It used to show, then stay black until the graph had loaded (2+ s under load): nothing
    paints it while the graph is read and inferred, so the window now shows after that."""
    assert opened["window shown"] == {"nodes on canvas": 14}


def test_a_plain_graph_on_screen_has_imported_neither_torchvision_nor_dynamo(opened):
    """Nor pyqtgraph: the Training dock's plots are made when its tab is first raised."""
    assert opened["graph"] == {"modules": ["torch"]}


def test_the_splash_closes_once_the_window_is_on_screen(opened):
    assert opened["splash_left_open"] is False


def test_garbage_is_collected_again_once_the_window_is_on_screen(opened):
    """Collection is paused while the app starts (~0.7 s of CPU saved); the session needs it."""
    assert opened["collecting garbage"] is True


_DIALOG_PROBE = r"""
import json, os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QDialog
app = QApplication([sys.argv[0]])
class Probe(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Show and isinstance(obj, QDialog):
            splash = [w for w in app.topLevelWidgets() if w.objectName() == "startupSplash"]
            print("PROBE " + json.dumps({
                "dialog": obj.windowTitle(),
                "splash on screen": any(w.isVisible() for w in splash),
            }), flush=True)
            os._exit(0)
        return False
probe = Probe()
app.installEventFilter(probe)
from nodeml.cli import main
main(sys.argv[1:])
"""


def test_a_file_that_cannot_be_opened_is_said_in_a_dialog_the_splash_gives_way_to(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env["XDG_CONFIG_HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", _DIALOG_PROBE, str(tmp_path / "missing.json")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("PROBE ")]
    assert lines, done.stderr[-3000:]
    seen = json.loads(lines[-1].removeprefix("PROBE "))
    assert seen == {"dialog": "Cannot open file", "splash on screen": False}
