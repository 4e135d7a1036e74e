"""Why training inside the app's process was slower: the old Training dock's UI work, one part at a time.

Until the app trained in a worker process, a run was the Trainer on a QThread beside the UI
thread: its per-batch events were gathered into chunks (~10 a second) and sent by queued Qt
signals to the UI thread, where each chunk moved the progress bar and fed the live plots
(TrainingPlots, redrawn by their own timer). Both threads share one GIL.

This script keeps one Trainer running on a QThread for the whole measurement and switches what
the UI thread does every ``--window`` seconds, so each kind of UI work is compared with the
windows right before and after it, when the machine's other load was about the same (on a
shared machine whole runs minutes apart differ by 2-3x). The kinds:

    idle      no signals, nothing to draw: the Trainer beside an idle Qt event loop
    ticks     a 50 ms QTimer with an empty slot: the UI thread wakes up, does nothing
    signals   the chunks sent to the UI thread (~10/s), to a slot that does nothing
    progress  each chunk moves the dock's progress bar and its text, as the dock did
    plots     each chunk is fed to the dock's plots, redrawn by their own paced timer
    dock      progress + plots: what the Training dock did while training

For each kind: the Trainer's steps per second relative to the neighbouring idle windows
(median and quartiles over all windows), and the UI thread's CPU time per training second
(all of it taken with the GIL, so not available to the trainer).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/ui_thread_cost.py [--cycles 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, QTimer, Signal, Slot  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow  # noqa: E402

from nodeml.core.compile import compile_graph  # noqa: E402
from nodeml.core.graph import Edge, Graph, Node  # noqa: E402
from nodeml.core.training import Trainer, TrainingConfig  # noqa: E402

KINDS = ("ticks", "signals", "progress", "plots", "dock")
FLUSH_S = 0.1  # the old TrainingJob's chunking


def spirals_graph(n: int, epochs: int) -> Graph:
    """A 2-64-64-2 MLP on spirals at batch 32: ~1 ms steps, the worst case for any UI cost."""
    g = Graph("bench")
    nodes = [
        ("x", "Input", {"shape": [2]}),
        ("fc1", "Linear", {"out_features": 64}),
        ("r1", "ReLU", {}),
        ("fc2", "Linear", {"out_features": 64}),
        ("r2", "ReLU", {}),
        ("fc3", "Linear", {"out_features": 2}),
        ("out", "Output", {}),
    ]
    for nid, kind, params in nodes:
        g.add_node(Node(nid, kind, params))
    for a, b in zip(nodes, nodes[1:], strict=False):
        g.connect(Edge(a[0], b[0]))
    g.extras["training"] = {
        "dataset": "spirals",
        "dataset_options": {"n": n},
        "epochs": epochs,
        "batch_size": 32,
        "val_split": 0.0,
    }
    return g


@dataclass
class Chunk:
    data: np.ndarray  # step, loss, lr per row
    last: object  # the last StepEnded


class Job(QObject):
    """The old TrainingJob's reporting: steps gathered and sent ~10 times a second while
    ``sending`` (the UI thread sets it at a window's start)."""

    steps = Signal(object)
    done = Signal()

    def __init__(self, trainer: Trainer):
        super().__init__()
        self.trainer = trainer
        self.sending = False
        self.tid = 0
        self._buffer: list[tuple[int, float, float]] = []
        self._flushed = time.monotonic()
        trainer.step_ended.connect(self._on_step)

    @Slot()
    def run(self) -> None:
        self.tid = threading.get_native_id()
        self.trainer.run()
        self.done.emit()

    def _on_step(self, event) -> None:
        if not self.sending:
            return
        self._buffer.append((event.step, event.loss, event.lr))
        if time.monotonic() - self._flushed >= FLUSH_S:
            self._flushed = time.monotonic()
            self.steps.emit(Chunk(np.asarray(self._buffer, dtype=np.float64), event))
            self._buffer = []


class Dock(QMainWindow):
    """The Training dock in a main window, fed by ``take`` as the old controller fed it."""

    def __init__(self, graph: Graph, total_steps: int):
        super().__init__()
        from nodeml.ui.document import Document
        from nodeml.ui.training.dock import TrainingDock

        self.document = Document(graph.copy())
        self.setCentralWidget(QLabel("canvas"))
        self.dock = TrainingDock(self.document, self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.progress.setRange(0, total_steps)
        self.dock.plots.start_run("bench", "accuracy", total_steps, 1)
        self.kind = "idle"
        self.resize(1400, 900)
        self.show()
        # as the dock was during a run: its Curves page up, 40 % of the window's height
        self.dock.tabs.setCurrentWidget(self.dock.plots)
        self.resizeDocks([self.dock], [int(0.4 * self.height())], Qt.Orientation.Vertical)

    def set_kind(self, kind: str) -> None:
        self.kind = kind
        timer = self.dock.plots._timer  # the plots' own redraw timer: only while they are fed
        if kind in ("plots", "dock"):
            timer.start()
        else:
            timer.stop()

    @Slot(object)
    def take(self, chunk: Chunk) -> None:
        last = chunk.last
        if self.kind in ("plots", "dock"):
            self.dock.plots.add_steps(chunk.data[:, 0], chunk.data[:, 1], chunk.data[:, 2])
        if self.kind in ("progress", "dock"):
            self.dock.progress.setValue(last.step)
            self.dock.progress.setFormat(
                f"Epoch {last.epoch + 1} · step {last.batch}/{last.batches} · "
                f"{last.samples_per_s:,.0f} samples/s · ETA {last.eta_s:.0f} s"
            )


def waits(tid: int) -> int:
    """How often thread ``tid`` of this process blocked (voluntary context switches, Linux): a
    trainer alone never blocks; beside a thread that takes the GIL it blocks to get it back."""
    try:
        status = Path(f"/proc/self/task/{tid}/status").read_text()
    except OSError:
        return 0
    line = next(x for x in status.splitlines() if x.startswith("voluntary_ctxt_switches"))
    return int(line.split()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=20, help="each kind this many windows")
    parser.add_argument("--window", type=float, default=1.0, help="seconds per window")
    args = parser.parse_args()
    torch.set_num_threads(1)
    app = QApplication.instance() or QApplication([])
    from nodeml.ui.theme import apply_theme

    apply_theme(app, "dark")
    graph = spirals_graph(50_000, 10_000)  # far more than the measurement needs; stopped after
    trainer = Trainer(compile_graph(graph), TrainingConfig.from_dict(graph.extras["training"]))
    ui = Dock(graph, trainer.steps_per_epoch * 10)
    job = Job(trainer)
    job.steps.connect(ui.take)
    ticker = QTimer(interval=50)
    ticker.timeout.connect(lambda: None)
    thread = QThread()
    job.moveToThread(thread)
    thread.started.connect(job.run)

    plan = ["idle"]
    for cycle in range(args.cycles):
        kinds = KINDS[cycle % len(KINDS) :] + KINDS[: cycle % len(KINDS)]
        for kind in kinds:
            plan += [kind, "idle"]
    # kind, steps/s, UI CPU seconds per 1000 steps, trainer GIL waits per 1000 steps
    rates: list[tuple[str, float, float, float]] = []
    state = {"i": -1, "step": 0, "t": 0.0, "cpu": 0.0, "waits": 0}
    loop = QEventLoop()

    def next_window() -> None:
        now, cpu, step = time.perf_counter(), time.thread_time(), trainer.step
        blocked = waits(job.tid)
        if state["i"] >= 0:
            wall, steps = now - state["t"], max(1, step - state["step"])
            kind = plan[state["i"]]
            ui_ms = 1000 * (cpu - state["cpu"]) / steps
            rates.append((kind, steps / wall, ui_ms, 1000 * (blocked - state["waits"]) / steps))
        state.update(i=state["i"] + 1, step=step, t=now, cpu=cpu, waits=blocked)
        if state["i"] >= len(plan):
            trainer.stop()
            loop.quit()
            return
        kind = plan[state["i"]]
        job.sending = kind not in ("idle", "ticks")
        ticker.start() if kind == "ticks" else ticker.stop()
        ui.set_kind(kind)

    switch = QTimer(interval=int(args.window * 1000))
    switch.timeout.connect(next_window)
    thread.start()
    QTimer.singleShot(2000, lambda: (next_window(), switch.start()))  # after the warm-up
    print(
        f"torch {torch.__version__}, 1 thread, {args.cycles} windows of {args.window:g} s per kind, "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    loop.exec()
    switch.stop()
    thread.quit()
    thread.wait()
    print(f"load average at the end {os.getloadavg()[0]:.1f}\n")
    print("per 1000 training steps: the UI thread's CPU ms, the trainer's waits for the GIL\n")
    print(f"{'kind':9} {'speed vs idle':>14} {'quartiles':>13} {'UI ms':>7} {'waits':>7}")
    idle = [r for r in rates if r[0] == "idle"]
    ui_ms = statistics.median(r[2] for r in idle)
    blocked = statistics.median(r[3] for r in idle)
    print(f"{'idle':9} {1.0:14.3f} {'':>13} {1000 * ui_ms:7.1f} {blocked:7.0f}")
    for kind in KINDS:
        ratios, cpus, waited = [], [], []
        for i, (k, rate, cpu, wait) in enumerate(rates):
            if k != kind:
                continue
            around = [rates[j][1] for j in (i - 1, i + 1) if 0 <= j < len(rates)]
            ratios.append(rate / statistics.fmean(around))
            cpus.append(cpu)
            waited.append(wait)
        q1, med, q3 = np.percentile(ratios, [25, 50, 75])
        print(
            f"{kind:9} {med:14.3f} {q1:6.3f}-{q3:5.3f} {1000 * statistics.median(cpus):7.1f} "
            f"{statistics.median(waited):7.0f}   ({len(ratios)} windows)"
        )


if __name__ == "__main__":
    main()
