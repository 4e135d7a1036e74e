"""Export formats: ONNX (checker + onnxruntime), TorchScript, torch.export programs, safetensors."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import onnx
import pytest
import torch

import nodeml
from nodeml.core.errors import NodemlError
from nodeml.core.export_command import add_export
from nodeml.core.exporting import (
    ExportError,
    export_graph,
    export_onnx,
    load_safetensors,
    prepare,
)
from nodeml.core.exporting.onnx import onnx_names
from nodeml.core.interop_commands import add_commands

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "sample_graphs").glob("*.json"))
LENET = ROOT / "sample_graphs" / "lenet.json"
# torch.jit is deprecated in favour of torch.export but still what TorchScript users load with
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit:FutureWarning")


def test_there_are_samples_to_check():
    assert len(SAMPLES) >= 8


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_sample_graph_exports_to_valid_onnx(path, tmp_path):
    graph = nodeml.load_graph(path)
    out = tmp_path / "model.onnx"
    report = export_graph(graph, out, "onnx")
    onnx.checker.check_model(onnx.load(str(out)), full_check=True)
    # onnxruntime ran it on a batch size other than the example's and agreed with PyTorch
    assert report.max_abs_diff is not None and report.max_abs_diff < 1e-4
    inputs, outputs = onnx_names(out)
    assert list(inputs) == [n.id for n in graph.nodes if n.type == "Input"]
    assert list(outputs) == [n.id for n in graph.nodes if n.type == "Output"]


def test_onnx_export_refuses_a_model_that_disagrees_with_onnxruntime(tmp_path, monkeypatch):
    from nodeml.core.exporting import onnx as onnx_export

    model = prepare(nodeml.load_graph(LENET))
    original = onnx_export._to_proto

    def proto_then_drift(m, opset, report):
        proto = original(m, opset, report)
        with (
            torch.no_grad()
        ):  # PyTorch's answer changes after export: the runtime check must see it
            m.module.fc3.bias.add_(1.0)
        return proto

    monkeypatch.setattr(onnx_export, "_to_proto", proto_then_drift)
    with pytest.raises(ExportError, match="onnxruntime's outputs differ from PyTorch's by up to 1"):
        export_onnx(model, tmp_path / "m.onnx")
    assert not (tmp_path / "m.onnx").exists()


def test_onnx_without_its_packages_says_what_to_install(tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "onnxscript" else real(name, *a),
    )
    with pytest.raises(ExportError, match=r"pip install 'nodeml\[export\]'"):
        export_graph(nodeml.load_graph(LENET), tmp_path / "m.onnx", "onnx")


@pytest.mark.parametrize("sample", ["lenet", "lstm_text_classifier", "two_branch_concat"])
def test_torchscript_file_runs_without_nodeml_code(sample, tmp_path):
    graph = nodeml.load_graph(ROOT / "sample_graphs" / f"{sample}.json")
    out = tmp_path / "model.pt"
    report = export_graph(graph, out, "torchscript")
    assert report.notes == []  # scripted, not traced
    model = prepare(graph)
    loaded = torch.jit.load(str(out))
    with torch.no_grad():
        assert torch.allclose(loaded(*model.inputs), model.module(*model.inputs))
    assert "def forward" in loaded.code


@pytest.mark.parametrize("sample", ["residual_block", "lstm_text_classifier"])
def test_exported_program_loads_and_takes_other_batch_sizes(sample, tmp_path):
    graph = nodeml.load_graph(ROOT / "sample_graphs" / f"{sample}.json")
    out = tmp_path / "model.pt2"
    assert export_graph(graph, out, "exported-program").notes == []
    program = torch.export.load(str(out))
    model = prepare(graph)
    bigger = tuple(torch.cat([x, x, x]) for x in model.inputs)
    with torch.no_grad():
        assert torch.allclose(program.module()(*bigger), model.module(*bigger), atol=1e-6)


def test_safetensors_weights_load_into_a_fresh_model(tmp_path):
    graph = nodeml.load_graph(LENET)
    out = tmp_path / "lenet.safetensors"
    export_graph(graph, out, "safetensors")
    exported = prepare(graph).module
    torch.manual_seed(123)
    fresh = nodeml.compile_graph(graph)
    load_safetensors(fresh, out)
    for key, value in exported.state_dict().items():
        if torch.is_tensor(value):
            assert torch.equal(fresh.state_dict()[key], value)
    from safetensors import safe_open

    with safe_open(str(out), "pt") as f:
        # tensors only: the class names (none before training) are metadata
        assert f.metadata() == {"format": "nodeml.weights", "graph": "LeNet", "classes": "[]"}
        tensors = [k for k, v in exported.state_dict().items() if torch.is_tensor(v)]
        assert sorted(f.keys()) == sorted(tensors)
        assert "image_mean" in tensors and "_extra_state" not in tensors


def test_safetensors_of_another_graph_are_refused(tmp_path):
    out = tmp_path / "mlp.safetensors"
    export_graph(
        nodeml.load_graph(ROOT / "sample_graphs" / "quickstart_mlp.json"), out, "safetensors"
    )
    with pytest.raises(ExportError, match="does not fit this model"):
        load_safetensors(nodeml.compile_graph(nodeml.load_graph(LENET)), out)


def test_export_uses_a_checkpoints_weights(tmp_path):
    from nodeml.core.checkpoint import save_checkpoint

    graph = nodeml.load_graph(LENET)
    torch.manual_seed(7)
    trained = nodeml.compile_graph(graph)
    save_checkpoint(tmp_path / "ckpt.pt", {"model": trained.state_dict()})
    export_graph(graph, tmp_path / "w.safetensors", "safetensors", checkpoint=tmp_path / "ckpt.pt")
    from safetensors.torch import load_file

    assert torch.equal(load_file(str(tmp_path / "w.safetensors"))["fc1.weight"], trained.fc1.weight)


# ---- the command ---------------------------------------------------------------------------------
def run_command(*argv: str, existing_export: bool = False) -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    if existing_export:  # the CLI's export command, there before the interop package mounts
        add_export(sub)
    add_commands(sub)
    args = parser.parse_args([str(a) for a in argv])
    return args.func(args)


@pytest.mark.parametrize("existing_export", [False, True])
def test_export_command_formats(tmp_path, capsys, existing_export):
    for fmt, name in (("torchscript", "m.pt"), ("exported-program", "m.pt2"), ("python", "m.py")):
        assert (
            run_command(
                "export",
                LENET,
                "--format",
                fmt,
                "-o",
                tmp_path / name,
                existing_export=existing_export,
            )
            == 0
        )
    out = capsys.readouterr().out
    assert f"wrote {tmp_path / 'm.pt2'} (exported-program)" in out
    assert (tmp_path / "m.py").read_text() == nodeml.export_code(nodeml.load_graph(LENET))
    torch.jit.load(str(tmp_path / "m.pt"))
    torch.export.load(str(tmp_path / "m.pt2"))


def test_export_command_reports_an_invalid_graph(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(LENET.read_text().replace('"out_features": 120', '"out_features": -1'))
    with pytest.raises(NodemlError, match="fc1"):
        run_command("export", bad, "--format", "torchscript", "-o", tmp_path / "m.pt")
    assert not (tmp_path / "m.pt").exists()


def test_export_command_refuses_training_script_in_another_format(tmp_path):
    with pytest.raises(NodemlError, match="--with-training writes a Python script"):
        run_command("export", LENET, "--format", "onnx", "--with-training", "-o", tmp_path / "t.py")


def test_written_files_are_whole_files(tmp_path):
    # atomic writes leave no temp files beside the output
    export_graph(nodeml.load_graph(LENET), tmp_path / "m.pt", "torchscript")
    assert [p.name for p in tmp_path.iterdir()] == ["m.pt"]
    assert torch.jit.load(io.BytesIO((tmp_path / "m.pt").read_bytes())) is not None
