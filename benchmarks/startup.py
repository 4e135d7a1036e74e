"""Times nodeml's start-up against the libraries' own import time, measured in the same run.

Rows (each a fresh process, its baseline run right before or after it, the order alternating):

* ``check``:      ``nodeml check GRAPH``                 vs ``import torch``
                  (goal: at most 0.5 s more)
* ``screenshot``: ``nodeml --screenshot OUT.png GRAPH``  vs ``import torch; import PySide6.QtWidgets``
                  (start to first paint; goal: at most 1.0 s more)
* ``app``:        ``nodeml GRAPH`` as a user opens it (offscreen), until the window first paints
                  (the splash) and until the canvas paints the graph; same baseline as screenshot

Best (fastest run minus fastest baseline) and median (of the paired differences) are printed in
seconds, with ratios. Wall time is what the user waits; CPU time (user + system of the child) is
printed too, as it moves less when other jobs share the machine. Bytecode is cached in a folder
of its own (first run untimed), as an installed package's would be.

    python benchmarks/startup.py [--repeats 7] [--graph sample_graphs/lenet.json] [--rows ...]
                                 [--tree OTHER_CHECKOUT]   # e.g. the main branch, for before/after
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TORCH = "import torch"
TORCH_QT = "import torch; import PySide6.QtWidgets"

# `nodeml GRAPH` in a child that reports when the first window and the graph's canvas paint.
# QApplication is made first so an event filter sees every paint; the app reuses it.
APP_PROBE = r"""
import os, sys, time
start = float(sys.argv[1])
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
app = QApplication([sys.argv[0]])
marks = {}
class Probe(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj.isWidgetType():
            now = time.time() - start
            marks.setdefault("window", now)
            scene = getattr(obj.parent(), "editor_scene", None)
            if scene is not None and scene.items():
                marks["graph"] = now
                marks["modules"] = [m for m in ("torchvision", "torch._dynamo") if m in sys.modules]
                print("PROBE " + __import__("json").dumps(marks), flush=True)
                os._exit(0)
        return False
probe = Probe()
app.installEventFilter(probe)
from nodeml.cli import main
sys.argv = ["nodeml", sys.argv[2]]
main()  # as the `nodeml` command runs it
"""


@dataclass
class Series:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    extra: dict[str, list[float]] = field(default_factory=dict)


def child_env(cache: Path, tree: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(tree), QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    env["XDG_CONFIG_HOME"] = str(cache / "config")  # no recent files, layout or theme of yours
    return env


def timed(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds of one child process, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def commands(graph: str, out: Path) -> dict[str, list[str]]:
    py = sys.executable
    return {
        "torch": [py, "-c", TORCH],
        "torch+qt": [py, "-c", TORCH_QT],
        "check": [py, "-m", "nodeml", "check", graph],
        "screenshot": [py, "-m", "nodeml", "--screenshot", str(out), graph],
        "app": [py, "-c", APP_PROBE, "START", graph],
    }


BASELINE = {"check": "torch", "screenshot": "torch+qt", "app": "torch+qt"}
GOAL_S = {"check": 0.5, "screenshot": 1.0}


def run_one(name: str, argv: list[str], env: dict[str, str], series: Series) -> None:
    if name == "app":
        argv = [a if a != "START" else repr(time.time()) for a in argv]
    wall, cpu, stdout = timed(argv, env, Path(env["PYTHONPATH"]))
    series.wall.append(wall)
    series.cpu.append(cpu)
    if name == "app":
        line = next(ln for ln in stdout.splitlines() if ln.startswith("PROBE "))
        marks = json.loads(line[len("PROBE ") :])
        if marks["modules"]:
            print(f"  note: the app had imported {marks['modules']} by its first paint")
        for key in ("window", "graph"):
            series.extra.setdefault(key, []).append(marks[key])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--graph", default="sample_graphs/lenet.json")
    parser.add_argument("--rows", nargs="+", default=["check", "screenshot", "app"])
    parser.add_argument("--tree", type=Path, default=ROOT, help="the nodeml checkout to time")
    args = parser.parse_args()

    cache = Path(tempfile.gettempdir()) / "nodeml-startup-bench"
    env = child_env(cache, args.tree.resolve())
    with tempfile.TemporaryDirectory() as tmp:
        cmds = commands(args.graph, Path(tmp) / "shot.png")
        names = [*dict.fromkeys(name for row in args.rows for name in (row, BASELINE[row]))]
        for name in names:  # untimed: fills the bytecode cache, warms the file cache
            run_one(name, cmds[name], env, Series())
        results = {name: Series() for name in names}
        load = [os.getloadavg()[0]]
        for i in range(args.repeats):
            order = names if i % 2 == 0 else names[::-1]
            for name in order:
                run_one(name, cmds[name], env, results[name])
            load.append(os.getloadavg()[0])
            print(f"repeat {i + 1}/{args.repeats} done (load {load[-1]:.2f})", flush=True)

    print(f"\n{args.graph}, {args.repeats} repeats, load average {min(load):.2f}-{max(load):.2f}")
    print(f"{'what':<34} {'best s':>8} {'median s':>9} {'cpu best':>9}")
    for name in names:
        s = results[name]
        print(f"{name:<34} {min(s.wall):8.2f} {statistics.median(s.wall):9.2f} {min(s.cpu):9.2f}")
    print()
    for row in args.rows:
        base, s = results[BASELINE[row]], results[row]
        _compare(f"{row} - {BASELINE[row]}", s.wall, base.wall, s.cpu, base.cpu, GOAL_S.get(row))
        for key, values in s.extra.items():
            _compare(f"  app: {key} painted - {BASELINE[row]}", values, base.wall)
            print(
                f"  app: {key} painted at {min(values):.2f} s best, "
                f"{statistics.median(values):.2f} s median after the process started"
            )


def _compare(
    label: str,
    wall: list[float],
    base: list[float],
    cpu: list[float] | None = None,
    base_cpu: list[float] | None = None,
    goal: float | None = None,
) -> None:
    best = min(wall) - min(base)
    median = statistics.median(a - b for a, b in zip(wall, base, strict=True))
    ratio = statistics.median(a / b for a, b in zip(wall, base, strict=True))
    text = f"{label:<40} +{best:5.2f} s best, +{median:5.2f} s median, x{ratio:4.2f} median"
    if cpu is not None and base_cpu is not None:
        text += f"; cpu +{min(cpu) - min(base_cpu):5.2f} s best"
    if goal is not None:
        text += f"  (goal +{goal:.1f} s: {'met' if best <= goal else 'NOT met'} by best)"
    print(text)


if __name__ == "__main__":
    main()
