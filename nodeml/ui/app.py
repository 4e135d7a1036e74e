"""The app's front door: ``nodeml [GRAPH]`` opens the window, ``--screenshot OUT.png`` renders it and exits."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from .. import __version__, gc_schedule
from ..core.errors import GraphFormatError
from . import language, theme
from .splash import StartupSplash

# Everything above is light (no torch): the splash is up before main_window, which imports the
# model code and torch, is imported below.

SCREENSHOT_SIZE = (1600, 960)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nodeml", description="Build PyTorch models visually.")
    parser.add_argument("graph", nargs="?", metavar="GRAPH", help="graph file (.json) to open")
    parser.add_argument(
        "--screenshot",
        metavar="OUT.png",
        help="render the main window with GRAPH to a PNG and exit (works without a display)",
    )
    parser.add_argument(
        "--theme", choices=("dark", "light"), help="colour theme (default: last used)"
    )
    parser.add_argument(
        "--lang",
        choices=tuple(language.LANGUAGES),
        help="language of the app (default: View → Language, else the system's)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the desktop app; returns the exit status."""
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.screenshot:
        # no display needed: Qt draws into memory (read when the QApplication is made)
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "nodeml"])
    if not QCoreApplication.organizationName():
        QCoreApplication.setOrganizationName("nodeml")
    # Qt names the app after argv[0]: "__main__.py" under `python -m nodeml`, which would keep
    # its settings and recovery copies apart from the `nodeml` command's. A name set on purpose
    # (the tests') is kept.
    started_as = Path(sys.argv[0]).name if sys.argv else ""
    if QCoreApplication.applicationName() in (
        "", "python", "python3", Path(sys.executable).name, started_as
    ):  # fmt: skip
        QCoreApplication.setApplicationName("nodeml")
    name = args.theme or ("dark" if args.screenshot else QSettings().value("theme", "dark"))
    look = theme.apply_theme(app, name if name in theme.THEMES else "dark")
    for missing in language.install_language(language.chosen_language(args.lang)):
        print(f"nodeml: no translation at {missing}: the app shows English", file=sys.stderr)

    if args.screenshot:
        return _screenshot(args.graph, Path(args.screenshot))

    # torch has not been imported yet: show something now, it takes seconds on a busy machine
    splash = StartupSplash(look, __version__)
    splash.show_status(QCoreApplication.translate("App", "Loading PyTorch…"))
    from .main_window import MainWindow

    window = MainWindow()
    if args.graph:  # before the window shows, so its first paint has the graph in it
        splash.show_status(
            QCoreApplication.translate("App", "Opening {name}…").format(name=Path(args.graph).name)
        )
        window.open_path(Path(args.graph), offer_recovery=False)  # offered below with the rest
    window.show()
    after_first_paint(window, lambda: _started(splash, window))
    status = app.exec()
    release_clipboard(app)
    return status


def release_clipboard(app) -> None:
    """Drop the data nodeml put on the clipboard while Python is still alive: Qt's exit handlers
    free it after the interpreter has finalized, which crashes the process on quit (seen after
    any Copy). The data is the process's own and would vanish with it anyway."""
    from PySide6.QtGui import QClipboard

    from .document import CLIPBOARD_MIME

    clipboard = app.clipboard()
    modes = [QClipboard.Mode.Clipboard]
    if clipboard.supportsSelection():
        modes.append(QClipboard.Mode.Selection)
    owns = {
        QClipboard.Mode.Clipboard: clipboard.ownsClipboard(),
        QClipboard.Mode.Selection: clipboard.ownsSelection(),
    }
    for mode in modes:
        data = clipboard.mimeData(mode)
        # only what this process put there: clearing would take another program's data away
        if owns[mode] or (data is not None and data.hasFormat(CLIPBOARD_MIME)):
            clipboard.clear(mode)
    app.processEvents()


def _started(splash: QWidget, window) -> None:
    """The window is on screen: the splash goes, and what could wait is done now; then the
    unsaved work of sessions that did not close is offered (of the file opened, and any other)."""
    from ..core.shapes import warm_up

    splash.close()
    warn_about_fonts(window)
    warm_up()  # torch's one-off imports of the first counted conv, not on the user's first edit
    gc_schedule.resume()
    window.offer_recovery()


class _FirstPaint(QObject):
    """Calls ``callback`` once, from the event loop, after ``widget`` has painted."""

    def __init__(self, widget: QWidget, callback: Callable[[], object]):
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)  # once this paint has reached the screen
        return False


def after_first_paint(widget: QWidget, callback: Callable[[], object]) -> None:
    """Run ``callback`` once ``widget`` is on screen: start-up work that can wait for it."""
    _FirstPaint(widget, callback)


def warn_about_fonts(window) -> None:
    """Korean without a font that has Hangul: say so once, in the status bar (not a dialog)."""
    language.warn_once_about_fonts(lambda text: window.statusBar().showMessage(text))


def _screenshot(graph: str | None, out: Path) -> int:
    from .main_window import MainWindow

    window = MainWindow(restore_layout=False, recovery=False)
    window.resize(*SCREENSHOT_SIZE)
    if graph:
        try:
            window.document.open(graph)
        except (GraphFormatError, OSError) as exc:
            print(f"nodeml: cannot open {graph}: {exc}", file=sys.stderr)
            return 1
    window.show()
    warn_about_fonts(window)
    for _ in range(3):  # let docks settle and the deferred panels refresh before fitting
        QApplication.processEvents()
    _frame_for_screenshot(window)
    QApplication.processEvents()
    ok = window.grab().save(str(out))
    window.document.undo_stack.setClean()
    window.close()
    if not ok:
        print(f"nodeml: cannot write {out}", file=sys.stderr)
        return 1
    print(f"wrote {out}")
    return 0


def _frame_for_screenshot(window) -> None:
    """Select the first layer with weights (so the inspector has something to show) and frame
    the graph from its input end at a readable zoom."""
    from ..core.catalog import get_spec

    graph = window.document.graph
    chosen = next(
        (n.id for n in graph.nodes if (s := get_spec(n.type)) is not None and s.parametric), None
    )
    if chosen is not None:
        window.view.select_node(chosen, reveal=False)
        window.inspector.set_nodes([chosen])
    window.view.frame_graph()  # as the app opens it: whole, or its input end at a readable zoom
    window.summary.refresh()
    window.code.refresh()


if __name__ == "__main__":
    sys.exit(main())
