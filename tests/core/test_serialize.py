"""Graph files: canonical, byte-stable round trips (unknown keys kept) and atomic saves."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nodeml
from nodeml.core import fileio
from nodeml.core.catalog import CATALOG
from nodeml.core.errors import GraphFormatError
from nodeml.core.serialize import graph_from_json, graph_to_json, load_graph, save_graph

CANONICAL = """{
  "format": "nodeml.graph",
  "version": 1,
  "name": "LeNet",
  "nodes": [
    {"id": "image", "type": "Input", "params": {"shape": [1, 32, 32]}, "pos": [0, 0]},
    {"id": "conv1", "type": "Conv2d", "params": {"out_channels": 6, "kernel_size": 3}},
    {"id": "act1", "type": "ReLU", "pos": [120.5, -3]},
    {"id": "flat", "type": "Flatten"},
    {"id": "fc1", "type": "Linear", "params": {"out_features": 120}, "trainable": false, "note": "héllo"},
    {"id": "merge", "type": "Add"},
    {"id": "logits", "type": "Output"}
  ],
  "edges": [
    {"source": "image", "target": "conv1"},
    {"source": "conv1", "target": "act1"},
    {"source": "act1", "target": "flat"},
    {"source": "flat", "target": "fc1"},
    {"source": "fc1", "target": "merge"},
    {"source": "fc1", "target": "merge", "target_port": 1},
    {"source": "merge", "target": "logits"}
  ],
  "training": {
    "epochs": 3,
    "optimizer": {
      "name": "Adam",
      "lr": 0.001
    },
    "future": [
      1,
      "two",
      null
    ]
  }
}
"""


def test_canonical_file_round_trips_byte_for_byte(tmp_path):
    path = tmp_path / "lenet.json"
    path.write_text(CANONICAL, encoding="utf-8")
    graph = load_graph(path)
    assert graph.extras == {
        "training": {
            "epochs": 3,
            "optimizer": {"name": "Adam", "lr": 0.001},
            "future": [1, "two", None],
        }
    }
    assert graph.node("fc1").extra == {"trainable": False, "note": "héllo"}
    copy = tmp_path / "copy.json"
    nodeml.save_graph(graph, copy)
    assert copy.read_bytes() == path.read_bytes()


def test_a_hand_written_file_is_canonicalised_once_then_stable(tmp_path):
    data = json.loads(CANONICAL)
    messy = json.dumps(data, indent=4, sort_keys=True)
    graph = graph_from_json(messy)
    first = graph_to_json(graph)
    assert first == graph_to_json(graph_from_json(first))
    # node order and edge wiring survive, key order follows the canonical layout
    assert [n["id"] for n in json.loads(first)["nodes"]] == [n["id"] for n in data["nodes"]]


def test_default_ports_and_empty_params_are_left_out():
    text = graph_to_json(graph_from_json(CANONICAL))
    assert '"source_port"' not in text and '"params": {}' not in text


def test_save_is_atomic_when_the_write_fails(tmp_path, monkeypatch):
    path = tmp_path / "g.json"
    path.write_text(CANONICAL, encoding="utf-8")
    graph = graph_from_json(CANONICAL)
    graph.set_param("conv1", "out_channels", 8)

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(fileio.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        save_graph(graph, path)
    assert path.read_text(encoding="utf-8") == CANONICAL
    assert os.listdir(tmp_path) == ["g.json"]  # the temp file was cleaned up


def test_a_graph_that_cannot_be_written_leaves_the_old_file(tmp_path):
    path = tmp_path / "g.json"
    path.write_text(CANONICAL, encoding="utf-8")
    graph = graph_from_json(CANONICAL)
    graph.set_param("conv1", "out_channels", float("nan"))
    with pytest.raises(ValueError):
        save_graph(graph, path)
    assert path.read_text(encoding="utf-8") == CANONICAL
    assert os.listdir(tmp_path) == ["g.json"]


def test_save_creates_missing_folders(tmp_path):
    path = tmp_path / "a" / "b" / "g.json"
    save_graph(graph_from_json(CANONICAL), path)
    assert path.read_text(encoding="utf-8") == CANONICAL


def test_load_reports_unreadable_files(tmp_path):
    with pytest.raises(GraphFormatError, match="cannot read"):
        load_graph(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(GraphFormatError, match="cannot read"):
        load_graph(bad)


# ---- property: any graph the format can hold round-trips ------------------------------------
_ids = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(
    lambda s: (
        s not in {"if", "in", "is", "or", "as", "def", "del", "for", "and", "not", "try", "use"}
    )
)
_json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=8),
)
_json = st.recursive(
    _json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def graph_files(draw):
    from nodeml.core.graph import id_problem

    ids = draw(
        st.lists(_ids.filter(lambda s: id_problem(s) is None), min_size=0, max_size=6, unique=True)
    )
    nodes = []
    for nid in ids:
        node = {
            "id": nid,
            "type": draw(st.sampled_from(sorted(CATALOG)) | st.text(min_size=1, max_size=6)),
        }
        if draw(st.booleans()):
            node["params"] = draw(
                st.dictionaries(st.text(min_size=1, max_size=6), _json, min_size=1, max_size=3)
            )
        if draw(st.booleans()):
            node["pos"] = [draw(st.integers(-500, 500)) * 1.0, draw(st.floats(-1e4, 1e4, width=32))]
        if draw(st.booleans()):
            node["trainable"] = draw(st.booleans())
        nodes.append(node)
    edges = []
    taken = set()
    for _ in range(draw(st.integers(0, 8))) if ids else []:
        target, port = draw(st.sampled_from(ids)), draw(st.integers(0, 2))
        if (target, port) in taken:
            continue
        taken.add((target, port))
        edge = {"source": draw(st.sampled_from(ids)), "target": target}
        if sp := draw(st.integers(0, 2)):
            edge["source_port"] = sp
        if port:
            edge["target_port"] = port
        edges.append(edge)
    data = {
        "format": "nodeml.graph",
        "version": 1,
        "name": draw(st.text(max_size=10)),
        "nodes": nodes,
        "edges": edges,
    }
    if draw(st.booleans()):
        data["training"] = draw(_json)
    return data


@given(graph_files())
@settings(max_examples=60, deadline=None)
def test_any_graph_round_trips_byte_stable(data):
    first = graph_to_json(graph_from_json(json.dumps(data)))
    assert graph_to_json(graph_from_json(first)) == first
    back = json.loads(first)
    assert [n["id"] for n in back["nodes"]] == [n["id"] for n in data["nodes"]]
    assert sorted(map(json.dumps, back["edges"])) == sorted(map(json.dumps, data["edges"]))
    assert back.get("training") == data.get("training")


def test_whole_number_positions_are_written_as_ints_so_move_and_undo_round_trip():
    graph = graph_from_json(CANONICAL)
    graph.move("act1", (220.0, 5.5))
    graph.move("act1", (120.5, -3))  # undo
    assert graph_to_json(graph) == CANONICAL
    graph.move("act1", (220.0, 5.5))
    assert '{"id": "act1", "type": "ReLU", "pos": [220, 5.5]}' in graph_to_json(graph)
