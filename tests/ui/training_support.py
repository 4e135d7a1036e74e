"""Shared setup for the training UI tests (no tests here): a window with a Document and the dock.

Runs train in worker processes; the process-wide WorkerPool starts the next worker ahead when a
run ends, so a test module's runs share the cost of importing torch.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QLabel, QMainWindow  # noqa: E402

from nodeml.core.graph import Edge, Graph, Node  # noqa: E402
from nodeml.core.serialize import save_graph  # noqa: E402
from nodeml.ui.document import Document  # noqa: E402
from nodeml.ui.training import SessionState, TrainingPresenter, install  # noqa: E402

RUN_TIMEOUT_MS = 180_000  # a worker's start imports torch: slow on a loaded 2-core machine


def mlp_graph(dataset: str = "moons", in_features: int = 2, classes: int = 2, **training) -> Graph:
    """Input[in] -> Linear(16) -> ReLU -> Linear(classes) -> Output, training on ``dataset``."""
    g = Graph("tiny")
    g.add_node(Node("x", "Input", {"shape": [in_features]}, (0, 0)))
    g.add_node(Node("fc1", "Linear", {"out_features": 16}, (200, 0)))
    g.add_node(Node("relu", "ReLU", {}, (400, 0)))
    g.add_node(Node("fc2", "Linear", {"out_features": classes}, (600, 0)))
    g.add_node(Node("out", "Output", {}, (800, 0)))
    for a, b in (("x", "fc1"), ("fc1", "relu"), ("relu", "fc2"), ("fc2", "out")):
        g.connect(Edge(a, b))
    g.extras["training"] = {
        "dataset": "moons",
        "epochs": 2,
        "batch_size": 32,
        "lr": 0.01,
        **training,
    }
    g.extras["training"]["dataset"] = dataset
    return g


def make_window(
    qtbot, graph: Graph, folder: Path | None = None, shown: list | None = None
) -> tuple[QMainWindow, TrainingPresenter]:
    """A main window with the dock; with ``folder`` the graph is saved there as tiny.json (its
    runs go in ``folder/runs``), else it is unsaved (runs go in the user data folder).
    ``shown`` collects the node ids the presenter asks the window to show."""
    window = QMainWindow()
    window.document = Document(graph)
    if folder is not None:
        path = folder / "tiny.json"
        save_graph(graph, path)
        window.document.path = path
    window.setCentralWidget(QLabel("canvas"))
    presenter = install(window, show_node=shown.append if shown is not None else None)
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    return window, presenter


def wait_idle(qtbot, presenter: TrainingPresenter, timeout: int = RUN_TIMEOUT_MS) -> None:
    qtbot.waitUntil(lambda: presenter.state is SessionState.IDLE, timeout=timeout)


def wait_state(
    qtbot, presenter: TrainingPresenter, state: SessionState, timeout: int = RUN_TIMEOUT_MS
) -> None:
    qtbot.waitUntil(lambda: presenter.state is state, timeout=timeout)
