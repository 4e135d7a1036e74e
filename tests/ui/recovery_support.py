"""Running the real app in a child process that a test drives and kills (see recovery_driver.py)."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("recovery_driver.py")
# Only how long to wait before calling the child hung: every wait ends on a condition first.
# The app's start imports torch, which takes tens of seconds on a loaded 2-core machine.
PATIENCE_S = 300


class AppProcess:
    """``nodeml ARGS`` in a child (offscreen, its settings and recovery folder under ``home``),
    answering recovery offers with ``answer``; commands go in, answers come back as JSON."""

    def __init__(self, home: Path, args: list[str], answer: str = "later", cwd: Path | None = None):
        self.home = home
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            PYTHONPATH=str(ROOT),
            XDG_CONFIG_HOME=str(home / "config"),
            XDG_DATA_HOME=str(home / "data"),
            NODEML_AUTOSAVE_MS="100",
        )
        self.stderr_path = home / f"stderr-{len(list(home.glob('stderr-*')))}.txt"
        self._stderr = open(self.stderr_path, "w")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(
            [sys.executable, str(DRIVER), answer, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env=env,
            cwd=cwd or home,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.offers: list[list[dict]] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def expect(self, kind: str):
        """The payload of the next line of ``kind``; offers on the way are kept in ``offers``."""
        while True:
            try:
                line = self.lines.get(timeout=PATIENCE_S)
            except queue.Empty:
                raise AssertionError(f"no {kind!r} from the app: {self.stderr_tail()}") from None
            if line is None:
                raise AssertionError(f"the app ended before {kind!r}: {self.stderr_tail()}")
            got, _, payload = line.partition(" ")
            if got == "offer":
                self.offers.append(json.loads(payload))
            if got == "error":
                raise AssertionError(f"driver: {payload}")
            if got == kind:
                return json.loads(payload)

    def ask(self, command: str, kind: str):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.expect(kind)

    def kill(self) -> None:
        """``kill -9``: no close event, no clean-up of any kind."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=PATIENCE_S)

    def quit(self) -> int:
        """File > Quit; the exit status."""
        status = self.ask("quit", "bye")["status"]
        assert self.proc.wait(timeout=PATIENCE_S) == 0, self.stderr_tail()
        return status

    def close(self) -> None:
        if self.proc.poll() is None:
            self.kill()
        self._stderr.close()

    def stderr_tail(self) -> str:
        self._stderr.flush()
        return self.stderr_path.read_text()[-3000:]
