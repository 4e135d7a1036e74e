"""Train a CSV, export, load the checkpoint into the exported class, feed it RAW rows: the
predictions are exactly nodeml evaluate's. Every export format takes the same raw rows."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import warnings
from pathlib import Path

import onnxruntime
import pytest
import torch

import nodeml
from nodeml.cli import main
from nodeml.core.exporting import export_graph, load_safetensors
from nodeml.core.serialize import load_graph
from nodeml.core.training.config import TrainingConfig
from nodeml.core.training.datasets import load_dataset
from nodeml.core.training.evaluation import evaluate_model

# feature scales far apart, as in real tables (cm next to mm, a count next to a ratio): a model
# fed raw rows where it was trained on standardised ones gets them badly wrong
SCALES = torch.tensor([300.0, 0.02, 7.0, 1500.0])
OFFSETS = torch.tensor([1000.0, -0.5, 40.0, 20000.0])


# tiny models run faster on one thread than split across two busy cores
pytestmark = pytest.mark.usefixtures("one_thread")


def write_csv(path: Path, labels: list[str], n_per_class: int = 40, seed: int = 0) -> None:
    """Gaussian clusters, one per label, in four features of very different scales."""
    gen = torch.Generator().manual_seed(seed)
    centres = torch.randn(len(labels), 4, generator=gen) * 2
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["a", "b", "c", "d", "label"])
        for i in range(n_per_class * len(labels)):
            k = i % len(labels)
            x = (centres[k] + 0.4 * torch.randn(4, generator=gen)) * SCALES + OFFSETS
            out.writerow([*(f"{v:.6g}" for v in x.tolist()), labels[k]])


def write_graph(path: Path, csv_path: Path, n_classes: int, options: dict | None = None) -> None:
    path.write_text(
        json.dumps(
            {
                "format": "nodeml.graph",
                "version": 1,
                "name": "Table net",
                "nodes": [
                    {"id": "x", "type": "Input", "params": {"shape": [4]}},
                    {"id": "fc1", "type": "Linear", "params": {"out_features": 16}},
                    {"id": "act", "type": "ReLU"},
                    {"id": "fc2", "type": "Linear", "params": {"out_features": n_classes}},
                    {"id": "out", "type": "Output"},
                ],
                "edges": [
                    {"source": "x", "target": "fc1"},
                    {"source": "fc1", "target": "act"},
                    {"source": "act", "target": "fc2"},
                    {"source": "fc2", "target": "out"},
                ],
                "training": {
                    "dataset": "csv",
                    "dataset_options": {"path": str(csv_path), **(options or {})},
                    "lr": 0.01,
                    "epochs": 15,
                    "batch_size": 16,
                },
            }
        )
    )


def raw_rows(path: Path) -> tuple[torch.Tensor, list[str]]:
    """The CSV's feature columns as written, and its labels: what a user feeds a model."""
    rows = list(csv.reader(path.open()))[1:]
    return torch.tensor([[float(v) for v in r[:-1]] for r in rows]), [r[-1] for r in rows]


def exported_model(source: Path, checkpoint: Path) -> torch.nn.Module:
    """What the exported file's docstring says to do, in a module that never imports nodeml."""
    spec = importlib.util.spec_from_file_location("exported_table_net", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.TableNet()
    model.load_state_dict(torch.load(checkpoint, weights_only=True)["model"])
    return model.eval()


def train_and_export(tmp_path: Path, labels: list[str], options: dict | None = None):
    data_path = tmp_path / "table.csv"
    write_csv(data_path, labels)
    graph_path = tmp_path / "table.json"
    write_graph(graph_path, data_path, len(labels), options)
    run = tmp_path / "run"
    assert main(["train", str(graph_path), "--out", str(run)]) == 0
    assert main(["export", str(graph_path), "-o", str(tmp_path / "table_net.py")]) == 0
    return data_path, graph_path, run / "best.pt"


@pytest.mark.parametrize(
    ("labels", "options"),
    [
        (["setosa", "versicolor", "virginica"], None),  # iris-like: class names
        (["0", "1", "2", "3", "4"], {"task": "classification"}),  # digits-like: integer labels
    ],
    ids=["string-labels", "integer-labels"],
)
def test_exported_class_on_raw_rows_predicts_what_evaluate_reports(
    tmp_path, capsys, labels, options
):
    data_path, graph_path, best = train_and_export(tmp_path, labels, options)
    capsys.readouterr()
    assert main(["evaluate", str(graph_path), str(best), "--split", "val"]) == 0
    reported = float(re.search(r"accuracy: ([\d.]+)", capsys.readouterr().out).group(1))

    model = exported_model(tmp_path / "table_net.py", best)
    assert model.classes == labels  # output index -> class name, from the checkpoint
    x, names = raw_rows(data_path)
    with torch.no_grad():
        predicted = [model.classes[i] for i in model(x).argmax(1).tolist()]

    # the validation rows evaluate scored are raw rows of the file, in its units
    config = TrainingConfig.from_dict(load_graph(graph_path).extras["training"])
    data = load_dataset(config)
    row_of = {tuple(row): i for i, row in enumerate(x.tolist())}
    val_rows = [row_of[tuple(row)] for row in data.val.x.tolist()]
    compiled = nodeml.compile_graph(load_graph(graph_path))
    compiled.load_state_dict(torch.load(best, weights_only=True)["model"])
    evaluation = evaluate_model(compiled, config, data, split="val")
    assert [predicted[i] for i in val_rows] == [labels[i] for i in evaluation.predictions.tolist()]
    correct = sum(predicted[i] == names[i] for i in val_rows)
    assert correct / len(val_rows) == pytest.approx(reported, abs=5e-5)
    assert reported > 0.9  # trained on standardised features, and fed raw ones
    assert sum(p == n for p, n in zip(predicted, names, strict=True)) / len(names) > 0.9


def test_the_checkpoint_holds_the_fitted_standardisation_and_the_class_names(tmp_path):
    data_path, graph_path, best = train_and_export(tmp_path, ["no", "yes"])
    state = torch.load(best, weights_only=True)
    assert state["classes"] == ["no", "yes"]
    assert state["model"]["_extra_state"] == {"classes": ["no", "yes"]}
    # fitted on the training split only (not the validation rows), per feature
    config = TrainingConfig.from_dict(load_graph(graph_path).extras["training"])
    train_x = load_dataset(config).train.x.double()
    torch.testing.assert_close(state["model"]["x_mean"], train_x.mean(0).float())
    torch.testing.assert_close(state["model"]["x_std"], train_x.std(0).float())
    all_x, _ = raw_rows(data_path)
    assert not torch.allclose(state["model"]["x_mean"], all_x.mean(0))


def test_every_export_format_takes_raw_rows(tmp_path):
    data_path, graph_path, best = train_and_export(tmp_path, ["a", "b", "c"])
    graph = load_graph(graph_path)
    x, _ = raw_rows(data_path)
    compiled = nodeml.compile_graph(graph)
    compiled.load_state_dict(torch.load(best, weights_only=True)["model"])
    compiled.eval()
    with torch.no_grad():
        want = compiled(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.jit's deprecation notice
        outputs = {}
        export_graph(graph, tmp_path / "m.onnx", "onnx", checkpoint=best)
        session = onnxruntime.InferenceSession(str(tmp_path / "m.onnx"))
        outputs["onnx"] = torch.from_numpy(session.run(None, {"x": x.numpy()})[0])
        export_graph(graph, tmp_path / "m.pt", "torchscript", checkpoint=best)
        outputs["torchscript"] = torch.jit.load(str(tmp_path / "m.pt"))(x)
        export_graph(graph, tmp_path / "m.pt2", "exported-program", checkpoint=best)
        outputs["exported-program"] = torch.export.load(str(tmp_path / "m.pt2")).module()(x)
    export_graph(graph, tmp_path / "m.safetensors", "safetensors", checkpoint=best)
    fresh = nodeml.compile_graph(graph)
    load_safetensors(fresh, tmp_path / "m.safetensors")
    assert fresh.classes == ["a", "b", "c"]  # from the file's metadata
    outputs["safetensors"] = fresh.eval()(x)
    for fmt, got in outputs.items():
        torch.testing.assert_close(got.detach(), want, rtol=1e-4, atol=1e-4, msg=fmt)
    assert (want.argmax(1) == compiled(x).argmax(1)).all()


def test_a_regression_table_is_standardised_too_and_its_exported_model_takes_raw_rows(tmp_path):
    path = tmp_path / "prices.csv"
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(200, 4, generator=gen) * SCALES + OFFSETS
    y = ((x - OFFSETS) / SCALES) @ torch.tensor([1.0, -2.0, 0.5, 3.0]) + 10
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow(["a", "b", "c", "d", "price"])
    out.writerows(
        [*(f"{v:.6g}" for v in row), f"{t:.6g}"] for row, t in zip(x.tolist(), y, strict=True)
    )
    path.write_text(buffer.getvalue())
    graph_path = tmp_path / "g.json"
    write_graph(graph_path, path, 1)
    assert main(["train", str(graph_path), "--out", str(tmp_path / "run")]) == 0
    assert main(["export", str(graph_path), "-o", str(tmp_path / "table_net.py")]) == 0
    model = exported_model(tmp_path / "table_net.py", tmp_path / "run" / "best.pt")
    raw, _ = raw_rows(path)
    with torch.no_grad():
        mse = float(((model(raw).squeeze(1) - y) ** 2).mean())
    assert mse < 1.0  # the target's variance is about 14: learnt, and applied to raw rows
    assert model.classes == []  # a CSV column could have held classes: it holds none
