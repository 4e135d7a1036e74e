"""Training speed with the app's Training dock attached vs the bare Trainer, and UI latency meanwhile.

"app": the Training dock's controller runs the job on its QThread while the UI thread runs the
event loop with the live plots (20 Hz redraw), the progress bar and a 10 ms QTimer measuring its
own lateness. "bare": the same Trainer, graph, data and settings on the main thread, no Qt.
Samples/s is the trainer's own per-epoch figure (training samples / epoch seconds, validation not
counted), averaged over the run's epochs. Runs of the two kinds are interleaved, their order
alternating, ``--repeats`` times; printed: best (fastest app / fastest bare) and median of the
paired ratios, and the timer's lateness p50 / p99 / max over all app runs.
Goals: ratio >= 0.95, p99 lateness < 50 ms.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/training_ui.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow  # noqa: E402

from nodeml.core.compile import compile_graph  # noqa: E402
from nodeml.core.graph import Edge, Graph, Node  # noqa: E402
from nodeml.core.training import Trainer, TrainingConfig  # noqa: E402

WORKLOADS = {
    # many tiny steps: where per-step overhead of the UI path would show most
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


def rate_of(trainer: Trainer) -> float:
    n = len(trainer.data.train)
    return statistics.fmean(n / row["seconds"] for row in trainer.history)


def run_bare(graph: Graph) -> float:
    config = TrainingConfig.from_dict(graph.extras["training"])
    trainer = Trainer(compile_graph(graph), config)
    trainer.run()
    return rate_of(trainer)


def run_app(app: QApplication, graph: Graph, lateness: list[float] | None = None) -> float:
    """One run through the app's dock; with ``lateness``, a 10 ms probe timer records how late
    the UI thread answers. The probe itself wakes the UI thread 100 times a second and so costs
    the trainer GIL time, which is why throughput runs go without it."""
    from nodeml.ui.document import Document
    from nodeml.ui.training import install

    window = QMainWindow()
    window.document = Document(graph.copy())
    window.setCentralWidget(QLabel("canvas"))
    controller = install(window)
    window.resize(1400, 900)
    window.show()
    app.processEvents()

    ticks: list[float] = []
    timer = QTimer(interval=10)
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    controller.state_changed.connect(lambda s: loop.quit() if s == "idle" else None)
    if lateness is not None:
        timer.start()
    controller.train()
    loop.exec()
    timer.stop()
    if lateness is not None:
        gaps = np.diff(np.asarray(ticks)) - 0.010
        lateness.extend(np.maximum(gaps, 0.0).tolist())
    rate = rate_of(controller.trainer)
    window.close()
    window.deleteLater()
    app.processEvents()
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    app = QApplication.instance() or QApplication([])
    from nodeml.ui.theme import apply_theme

    apply_theme(app, "dark")
    print(f"torch {torch.__version__}, {args.threads} thread(s), {args.repeats} repeats\n")
    print(f"{'workload':36} {'best':>6} {'median':>7} {'app/s':>9} {'bare/s':>9}")
    all_lateness: list[float] = []
    for name, (nodes, training) in WORKLOADS.items():
        graph = build_graph(nodes, training)
        run_bare(graph)  # warm-up: imports, first-call allocations
        app_rates, bare_rates = [], []
        for r in range(args.repeats):
            order = ("app", "bare") if r % 2 == 0 else ("bare", "app")
            for kind in order:
                if kind == "app":
                    app_rates.append(run_app(app, graph))
                else:
                    bare_rates.append(run_bare(graph))
        best = max(app_rates) / max(bare_rates)
        median = statistics.median(a / b for a, b in zip(app_rates, bare_rates, strict=True))
        print(f"{name:36} {best:6.3f} {median:7.3f} {max(app_rates):9,.0f} {max(bare_rates):9,.0f}")
        for _ in range(2):  # latency runs, apart from the throughput runs
            run_app(app, graph, all_lateness)
    late = np.asarray(all_lateness) * 1000
    print(
        f"\nUI timer (10 ms) lateness while training, {len(late)} ticks: "
        f"p50 {np.percentile(late, 50):.1f} ms, p99 {np.percentile(late, 99):.1f} ms, "
        f"max {late.max():.1f} ms"
    )


if __name__ == "__main__":
    main()
