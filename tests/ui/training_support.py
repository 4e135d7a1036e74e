"""Shared setup for the training UI tests (no tests here): a window with a Document and the dock."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QLabel, QMainWindow  # noqa: E402

from nodeml.core.graph import Edge, Graph, Node  # noqa: E402
from nodeml.ui.document import Document  # noqa: E402
from nodeml.ui.training import TrainingController, install  # noqa: E402


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
        "dataset": dataset,
        "epochs": 2,
        "batch_size": 32,
        "lr": 0.01,
        **training,
    }
    return g


def make_window(qtbot, graph: Graph) -> tuple[QMainWindow, TrainingController]:
    window = QMainWindow()
    window.document = Document(graph)
    window.setCentralWidget(QLabel("canvas"))
    window.menuBar().addMenu("&File").addAction("&Quit")
    window.menuBar().addMenu("&Help")
    controller = install(window)
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    return window, controller


def wait_idle(qtbot, controller: TrainingController, timeout: int = 60_000) -> None:
    qtbot.waitUntil(lambda: controller.state == "idle" and not controller.busy, timeout=timeout)
