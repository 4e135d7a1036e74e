"""Atomic writes keep a file's permissions and never leave a temp file behind."""

from __future__ import annotations

import os
import stat

from nodeml.core.fileio import atomic_write_text


def test_new_file_gets_the_usual_umask_mode(tmp_path):
    umask = os.umask(0o022)
    try:
        path = tmp_path / "g.json"
        atomic_write_text(path, "{}")
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    finally:
        os.umask(umask)


def test_overwrite_keeps_the_existing_mode(tmp_path):
    path = tmp_path / "g.json"
    path.write_text("old")
    os.chmod(path, 0o640)
    atomic_write_text(path, "new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["g.json"]


def test_moving_a_node_and_back_keeps_the_file_byte_identical(tmp_path):
    from nodeml.core.serialize import graph_to_json, load_graph

    text = (
        '{"format": "nodeml.graph", "version": 1, "name": "m", "nodes": '
        '[{"id": "x", "type": "Input", "params": {"shape": [1]}, "pos": [220, 0]}], "edges": []}'
    )
    path = tmp_path / "m.json"
    path.write_text(text)
    g = load_graph(path)
    before = graph_to_json(g)
    g.move("x", (300.5, 10.0))
    assert '"pos": [300.5, 10]' in graph_to_json(g)
    g.move("x", (220, 0))
    assert graph_to_json(g) == before
