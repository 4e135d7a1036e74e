"""The real app (``nodeml ARGS``, through nodeml.ui.app.main) driven by a test over stdin/stdout.

    python recovery_driver.py ANSWER [APP ARGS...]

ANSWER is what the recovery offer gets: ``restore`` (the first copy listed), ``discard`` (every
copy) or ``later``. Each offer prints ``offer [copies]``. Once the window is on screen and the
start-up offer is done it prints ``ready {state}``, then reads one command a line:

    add N            add N nodes (an edit)                -> added {state}
    autosaved        wait for the autosave of that edit   -> autosaved {state}
    ticks N          wait for N more autosave ticks       -> ticked {state}
    save             File > Save                          -> saved {state}
    hang-save        File > Save, stopping inside the atomic write of the graph, before its temp
                     file replaces it                     -> saving {"tmp": PATH}, then nothing
    open PATH        File > Open of PATH                  -> opened {state}
    recent PATH      File > Open Recent > PATH            -> opened {state}
    state                                                 -> state {state}
    quit             File > Quit (without unsaved changes)   -> bye {"status": N} as it exits

Every wait is on a condition; the test decides how long it waits for an answer.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

ANSWER = sys.argv[1]
APP_ARGS = sys.argv[2:]


def say(kind: str, payload: object = None) -> None:
    print(kind, json.dumps(payload), flush=True)


def state(window) -> dict:
    doc = window.document
    return {
        "path": str(doc.path) if doc.path else None,
        "nodes": len(doc.graph),
        "modified": doc.modified,
        "recovery_file": str(window.recovery.path),
        "status": window.statusBar().currentMessage(),
    }


def answer_offer(dialog) -> int:
    """Stands in for RecoveryDialog.exec: report the offer, then answer it."""
    say(
        "offer",
        [
            {
                "title": c.title,
                "path": str(c.path) if c.path else None,
                "file": str(c.file),
                "nodes": len(c.graph) if c.graph is not None else None,
            }
            for c in dialog.copies
        ],
    )
    if ANSWER == "restore":
        dialog.restore_selected()
    elif ANSWER == "discard":
        QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard)
        while dialog.copies:
            dialog.select(dialog.copies[0])
            dialog.discard_selected()
    else:
        dialog.reject()
    return dialog.result()


class Commands:
    """Reads commands from stdin in the GUI thread and answers them."""

    def __init__(self, window):
        self.window = window
        self.buffer = b""
        self.ticks = 0
        window.recovery.timer.timeout.connect(self._tick)  # after save_now, connected first
        self.notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
        self.notifier.activated.connect(self._read)

    def _tick(self) -> None:
        self.ticks += 1

    def _read(self) -> None:
        chunk = os.read(sys.stdin.fileno(), 65536)
        if not chunk:
            self.notifier.setEnabled(False)
            return
        self.buffer += chunk
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            self.run(line.decode().strip())

    def run(self, line: str) -> None:
        w = self.window
        command, _, arg = line.partition(" ")
        if command == "add":
            for i in range(int(arg)):
                w.document.add_node("ReLU", (600.0 + 40 * i, 300.0))
            say("added", state(w))
        elif command == "autosaved":
            index = w.document.undo_stack.index()
            self.wait(lambda: w.recovery._written_index == index, "autosaved")
        elif command == "ticks":
            target = self.ticks + int(arg)
            self.wait(lambda: self.ticks >= target, "ticked")
        elif command == "save":
            w.save_action.trigger()
            say("saved", state(w))
        elif command == "hang-save":
            self.hang_in_save(Path(w.document.path))
            w.save_action.trigger()
        elif command in ("open", "recent"):
            if command == "open":
                QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (arg, ""))
                w.open_action.trigger()
            else:
                w.files.fill_recent(w.recent_menu)
                [act] = [a for a in w.recent_menu.actions() if a.statusTip() == arg]
                act.trigger()
            say("opened", state(w))
        elif command == "state":
            say("state", state(w))
        elif command == "quit":
            w.close()
        else:
            say("error", f"unknown command {line!r}")

    def wait(self, done, kind: str) -> None:
        if done():
            say(kind, state(self.window))
        else:
            QTimer.singleShot(10, lambda: self.wait(done, kind))

    def hang_in_save(self, graph: Path) -> None:
        """From now on, an fsync of a temp file of ``graph`` reports it and blocks for ever:
        the process is inside its save when the test kills it."""
        fsync = os.fsync

        def stuck(fd: int) -> None:
            name = os.readlink(f"/proc/self/fd/{fd}")
            if Path(name).name.startswith(f".{graph.name}."):
                say("saving", {"tmp": name})
                threading.Event().wait()
            fsync(fd)

        os.fsync = stuck


def main() -> int:
    QApplication([sys.argv[0]])  # app.main reuses it
    from nodeml.ui import app
    from nodeml.ui.recovery_dialog import RecoveryDialog

    RecoveryDialog.exec = answer_offer
    started = app._started
    commands = []

    def started_then_ready(splash, window) -> None:
        started(splash, window)  # closes the splash, then the start-up recovery offer
        commands.append(Commands(window))
        say("ready", state(window))

    app._started = started_then_ready
    status = app.main(APP_ARGS)
    say("bye", {"status": status})
    return status


if __name__ == "__main__":
    sys.exit(main())
