"""The Training panel of a graph without a training section offers a dataset that fits its Input."""

from __future__ import annotations

import json

from app_fixtures import LENET


def test_lenet_without_a_training_section_defaults_to_32px_shapes(window, tmp_path):
    data = json.loads(LENET.read_text(encoding="utf-8"))
    del data["training"]
    bare = tmp_path / "lenet_bare.json"
    bare.write_text(json.dumps(data), encoding="utf-8")
    assert window.open_path(bare)
    config = window.training.dock.settings.config()
    assert config.dataset == "shapes"
    assert config.dataset_options == {"image_size": 32}  # 1 channel is the set's default
    assert "training" not in window.document.graph.extras  # shown, not written into the file


def test_the_default_follows_the_input_while_the_graph_has_no_section(window):
    doc = window.document
    settings = window.training.dock.settings
    doc.add_node("Input", (0.0, 0.0), params={"shape": [2]}, node_id="x")
    assert settings.config().dataset == "spirals"
    doc.set_param("x", "shape", [1, 28, 28])
    assert settings.config().dataset == "shapes"
    assert settings.config().dataset_options == {}  # 28 px, 1 channel: the set's own defaults
