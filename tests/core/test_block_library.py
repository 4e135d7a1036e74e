"""The block library: save, list, load and insert blocks; the shipped blocks load and compile."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

import nodeml
from nodeml.core.blocks.grouping import group_into_block
from nodeml.core.blocks.library import (
    block_file_text,
    insert_block,
    library_dir,
    list_library,
    load_library_block,
    save_block,
)
from nodeml.core.compile import compile_graph
from nodeml.core.errors import GraphFormatError
from nodeml.core.graph import Edge, Graph, Node
from nodeml.core.serialize import block_to_dict
from nodeml.core.shapes import Inference

SAMPLES = Path(__file__).resolve().parents[2] / "sample_graphs"


@pytest.fixture
def library(tmp_path, monkeypatch):
    folder = tmp_path / "library"
    monkeypatch.setenv("NODEML_BLOCK_LIBRARY", str(folder))
    return folder


def use_graph(block: str, shape: list[int], params: dict | None = None) -> Graph:
    g = Graph("Host")
    g.add_node(Node("x", "Input", {"shape": shape}))
    g.add_node(Node("b", block, params or {}))
    g.add_node(Node("out", "Output"))
    g.connect(Edge("x", "b"))
    g.connect(Edge("b", "out"))
    return g


def test_library_folder_is_the_env_override_else_xdg(tmp_path, monkeypatch, library):
    assert library_dir() == library
    monkeypatch.delenv("NODEML_BLOCK_LIBRARY")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    try:
        import platformdirs
    except ImportError:  # optional: without it the XDG folder is used
        expected = tmp_path / "data" / "nodeml" / "blocks"
    else:
        expected = Path(platformdirs.user_data_dir("nodeml", appauthor=False)) / "blocks"
    assert library_dir() == expected


def test_saved_block_round_trips_and_inserts_into_another_graph(library):
    source = nodeml.load_graph(SAMPLES / "resnet_blocks.json")
    path = save_block(source, "ResidualBlock")
    assert path == library / "ResidualBlock.json"
    assert path.read_text(encoding="utf-8") == block_file_text(source, "ResidualBlock")
    entries, errors = list_library(include_shipped=False)
    assert errors == [] and [e.name for e in entries] == ["ResidualBlock"]
    entry = entries[0]
    assert entry.doc.startswith("Two 3x3 convolutions")
    assert block_to_dict(entry.block) == block_to_dict(source.blocks["ResidualBlock"])

    host = use_graph("ResidualBlock", [8, 6, 6], {"channels": 8})
    inserted = insert_block(host, entry)
    assert (inserted.name, inserted.added) == ("ResidualBlock", ["ResidualBlock"])
    assert Inference(host).problems() == []
    assert compile_graph(host)(torch.randn(2, 8, 6, 6)).shape == (2, 8, 6, 6)


def test_nested_blocks_travel_with_their_dependencies_and_clashes_are_renamed(library):
    g = nodeml.load_graph(SAMPLES / "resnet_blocks.json")
    group_into_block(g, ["block1", "block2"], "Stage")
    path = save_block(g, "Stage")
    entry = load_library_block(path)
    assert [b.name for b in entry.blocks] == ["ResidualBlock", "Stage"]

    host = use_graph("Stage", [16, 8, 8])
    # a different ResidualBlock is already defined in the host: the inserted one is renamed
    other = nodeml.load_graph(SAMPLES / "resnet_blocks.json").blocks["ResidualBlock"].copy()
    other.graph.set_param("conv_a", "bias", True)
    host.blocks.add(other)
    inserted = insert_block(host, entry)
    assert inserted.renamed == {"ResidualBlock": "ResidualBlock2"}
    assert inserted.added == ["ResidualBlock2", "Stage"]
    assert {n.type for n in host.blocks["Stage"].graph.nodes} >= {"ResidualBlock2"}
    assert Inference(host).problems() == []
    model = compile_graph(host)
    assert model.b.block1.conv_a.bias is None  # the library's definition, not the host's

    # inserting the same entry again reuses the identical definitions it finds
    again = insert_block(use_graph("Stage", [16, 8, 8]), entry)
    assert again.renamed == {}


SHIPPED = {
    "ResidualBlock": ([16, 8, 8], {"channels": 16}, (2, 16, 8, 8), 4_672),
    "Bottleneck": ([64, 8, 8], {"width": 16, "channels": 64}, (2, 64, 8, 8), 4_544),
    "InceptionBranch": ([8, 8, 8], {}, (2, 56, 8, 8), 7_320),
    "TransformerEncoderBlock": ([5, 64], {"heads": 4}, (2, 5, 64), 33_472),
}


def test_shipped_blocks_load_and_compile():
    entries, errors = list_library(folder=Path("/nonexistent"), include_shipped=True)
    assert errors == []
    assert {e.name for e in entries} == set(SHIPPED)
    assert all(e.shipped for e in entries)
    for entry in entries:
        shape, params, out, n_params = SHIPPED[entry.name]
        host = use_graph(entry.name, shape, params)
        insert_block(host, entry)
        inference = Inference(host)
        assert inference.problems() == [], entry.name
        assert inference.totals().params == n_params, entry.name
        model = compile_graph(host)
        assert model(torch.randn(2, *shape)).shape == out, entry.name
        assert sum(p.numel() for p in model.parameters()) == n_params


@pytest.mark.parametrize(
    "text, message",
    [
        ("not json", "cannot read block file"),
        ('{"format": "nodeml.graph", "version": 1}', "is not a nodeml block file"),
        ('{"format": "nodeml.block", "version": 2, "blocks": []}', "version 2"),
        ('{"format": "nodeml.block", "version": 1, "name": "A", "blocks": []}', "'A' is not one"),
        (
            '{"format": "nodeml.block", "version": 1, "name": "os.system", '
            '"blocks": [{"name": "os.system"}]}',
            "must be a class name",
        ),
    ],
)
def test_bad_library_files_are_refused_and_listed_as_errors(library, text, message):
    library.mkdir()
    (library / "bad.json").write_text(text, encoding="utf-8")
    with pytest.raises(GraphFormatError, match=message):
        load_library_block(library / "bad.json")
    entries, errors = list_library(include_shipped=False)
    assert entries == [] and len(errors) == 1 and message in errors[0]
