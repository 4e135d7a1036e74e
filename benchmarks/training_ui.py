"""Training from the app vs ``nodeml train`` and the bare Trainer, and the app's UI latency meanwhile.

"app": the Training dock's presenter in a main window starts the run as the app does — a worker
process (started ahead and ready) runs ``nodeml train`` into a run folder beside the graph — and
the UI thread follows it: live plots, progress bar, status line. "cli": ``python -m nodeml train
GRAPH --out RUN`` in a subprocess. "bare": the same graph, data and settings on a Trainer in this
process, no Qt, no run folder. Samples/s: training samples / the epoch's training seconds (as the
run's metrics.csv records them; validation excluded), averaged over the run's epochs. The three
kinds are interleaved, their order rotating, ``--repeats`` times; printed per workload: app/bare
and app/cli, best (fastest app / fastest other) and median of the per-round ratios. Then the UI
thread's latency while the app trains: a 10 ms QTimer's lateness p50 / p99 / max, in runs of
their own. "UI CPU": the app process's CPU time over the run's wall time (median), what the
UI costs the machine while the worker trains: on a 2-core machine with other work it is taken
from the trainer, on a quiet one it runs on the other core. Every process trains on
``--threads`` torch threads (OMP_NUM_THREADS for the worker and the CLI). ``nodeml train`` (so
the app too) records per-node statistics, ~1 % of its time; the bare Trainer does not, and runs in
this process, beside Qt, with its garbage collector not frozen as the nodeml program's is.

Goals: app/bare >= 0.95 and app/cli >= 0.95 (the same engine in the same kind of process),
UI p99 < 50 ms.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/training_ui.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow  # noqa: E402

from nodeml.core.compile import compile_graph  # noqa: E402
from nodeml.core.graph import Edge, Graph, Node  # noqa: E402
from nodeml.core.serialize import save_graph  # noqa: E402
from nodeml.core.training import Trainer, TrainingConfig  # noqa: E402
from nodeml.core.training.run_registry import read_metrics  # noqa: E402

WORKLOADS = {
    # many tiny steps: where any per-step cost of following the run would show most
    "spirals MLP 2-64-64-2, batch 32": (
        [
            ("x", "Input", {"shape": [2]}),
            ("fc1", "Linear", {"out_features": 64}),
            ("r1", "ReLU", {}),
            ("fc2", "Linear", {"out_features": 64}),
            ("r2", "ReLU", {}),
            ("fc3", "Linear", {"out_features": 2}),
            ("out", "Output", {}),
        ],
        {"dataset": "spirals", "dataset_options": {"n": 20000}, "epochs": 4, "batch_size": 32},
    ),
    # a realistic image model step
    "shapes MLP 784-256-10, batch 64": (
        [
            ("x", "Input", {"shape": [1, 28, 28]}),
            ("flat", "Flatten", {}),
            ("fc1", "Linear", {"out_features": 256}),
            ("r1", "ReLU", {}),
            ("fc2", "Linear", {"out_features": 10}),
            ("out", "Output", {}),
        ],
        {"dataset": "shapes", "dataset_options": {"n": 6000}, "epochs": 3, "batch_size": 64},
    ),
}


def build_graph(nodes: list, training: dict) -> Graph:
    g = Graph("bench")
    for nid, type_name, params in nodes:
        g.add_node(Node(nid, type_name, params))
    for a, b in zip(nodes, nodes[1:], strict=False):
        g.connect(Edge(a[0], b[0]))
    g.extras["training"] = training
    return g


def rate_of(rows: list[dict[str, float]], samples: int) -> float:
    return statistics.fmean(samples / row["seconds"] for row in rows)


def train_samples(graph: Graph) -> int:
    config = TrainingConfig.from_dict(graph.extras["training"])
    from nodeml.core.training import load_dataset

    return len(load_dataset(config).train)


def run_bare(graph: Graph) -> float:
    config = TrainingConfig.from_dict(graph.extras["training"])
    trainer = Trainer(compile_graph(graph), config)
    trainer.run()
    return rate_of(trainer.history, len(trainer.data.train))


def run_cli(graph_file: Path, out: Path, samples: int) -> float:
    subprocess.run(
        [sys.executable, "-m", "nodeml", "train", str(graph_file), "--out", str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return rate_of(read_metrics(out), samples)


class App:
    """A main window with the Training dock, its document the saved workload graph."""

    def __init__(self, app: QApplication, graph_file: Path):
        from nodeml.core.serialize import load_graph
        from nodeml.ui.document import Document
        from nodeml.ui.training import install

        self.app = app
        self.window = QMainWindow()
        self.window.document = Document(load_graph(graph_file))
        self.window.document.path = graph_file
        self.window.setCentralWidget(QLabel("canvas"))
        self.presenter = install(self.window)
        self.window.resize(1400, 900)
        self.window.show()
        app.processEvents()
        self.cpu_shares: list[float] = []  # the UI process's CPU / wall time, per run

    def run(self, samples: int, lateness: list[float] | None = None) -> float:
        """One run; with ``lateness``, a 10 ms probe timer records how late the UI thread is."""
        from nodeml.ui.training import SessionState

        pool = self.presenter.session.pool
        pool.prestart().wait_ready(120)  # as the app has it: started ahead, torch imported
        ticks: list[float] = []
        timer = QTimer(interval=10)
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        loop = QEventLoop()
        session = self.presenter.session
        session.state_changed.connect(lambda s: loop.quit() if s is SessionState.IDLE else None)
        if lateness is not None:
            timer.start()
        wall, cpu = time.perf_counter(), time.process_time()
        assert self.presenter.train()
        loop.exec()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        timer.stop()
        if lateness is None:
            self.cpu_shares.append(cpu / wall)
        session.state_changed.disconnect()
        if lateness is not None and len(ticks) > 1:
            gaps = np.diff(np.asarray(ticks)) - 0.010
            lateness.extend(np.maximum(gaps, 0.0).tolist())
        rate = rate_of(read_metrics(session.run_dir), samples)
        pool.prestart().wait_ready(120)  # the next spare's import is not another kind's cost
        return rate

    def close(self) -> None:
        with contextlib.redirect_stdout(io.StringIO()):  # where its runs are kept: not news here
            self.presenter.shutdown()
        self.window.close()
        self.window.deleteLater()
        self.app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    args = parser.parse_args()
    os.environ["OMP_NUM_THREADS"] = str(args.threads)  # the worker's and the CLI's torch
    torch.set_num_threads(args.threads)
    app = QApplication.instance() or QApplication([])
    from nodeml.ui.theme import apply_theme

    apply_theme(app, "dark")
    folder = Path(tempfile.mkdtemp(prefix="nodeml-bench-"))
    print(
        f"torch {torch.__version__}, {args.threads} thread(s), {args.repeats} repeats, "
        f"load average {os.getloadavg()[0]:.1f}\n"
    )
    print(
        f"{'workload':34} {'app/bare':>15} {'app/cli':>15} {'app/s':>8} {'cli/s':>8} {'bare/s':>8}"
        f" {'UI CPU':>7}"
    )
    print(f"{'':34} {'best  median':>15} {'best  median':>15}")
    lateness: list[float] = []
    for w, (name, (nodes, training)) in enumerate(WORKLOADS.items()):
        graph = build_graph(nodes, training)
        graph_file = folder / f"workload{w}.json"
        save_graph(graph, graph_file)
        samples = train_samples(graph)
        run_bare(graph)  # warm-up: imports, first-call allocations
        ui = App(app, graph_file)
        rates: dict[str, list[float]] = {"app": [], "cli": [], "bare": []}
        kinds = ("app", "cli", "bare")
        for r in range(args.repeats):
            for kind in kinds[r % 3 :] + kinds[: r % 3]:
                if kind == "app":
                    rates["app"].append(ui.run(samples))
                elif kind == "cli":
                    rates["cli"].append(run_cli(graph_file, folder / f"cli-{w}-{r}", samples))
                else:
                    rates["bare"].append(run_bare(graph))
        for _ in range(2):  # latency runs, apart from the throughput runs
            ui.run(samples, lateness)
        ui.close()
        a, c, b = rates["app"], rates["cli"], rates["bare"]
        vs_bare = (max(a) / max(b), statistics.median(x / y for x, y in zip(a, b, strict=True)))
        vs_cli = (max(a) / max(c), statistics.median(x / y for x, y in zip(a, c, strict=True)))
        print(
            f"{name:34} {vs_bare[0]:6.3f} {vs_bare[1]:7.3f} {vs_cli[0]:6.3f} {vs_cli[1]:7.3f} "
            f"{max(a):8,.0f} {max(c):8,.0f} {max(b):8,.0f} "
            f"{100 * statistics.median(ui.cpu_shares):6.0f}%",
            flush=True,
        )
    late = np.asarray(lateness) * 1000
    print(
        f"\nUI timer (10 ms) lateness while the app trains, {len(late)} ticks: "
        f"p50 {np.percentile(late, 50):.1f} ms, p99 {np.percentile(late, 99):.1f} ms, "
        f"max {late.max():.1f} ms; load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
