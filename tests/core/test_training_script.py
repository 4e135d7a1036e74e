"""nodeml export --with-training: a standalone train.py that reads the graph's own dataset as nodeml
reads it, and trains in one process or under torchrun (DDP, gloo), without nodeml."""

from __future__ import annotations

import argparse
import ast
import csv
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from PIL import Image

import nodeml
from nodeml.cli import main
from nodeml.core.exporting import ExportError
from nodeml.core.exporting.training_script import training_script
from nodeml.core.interop_commands import add_commands
from nodeml.core.training.config import TrainingConfig
from nodeml.core.training.data_paths import resolve_data_paths
from nodeml.core.training.datasets import first_samples, load_dataset
from nodeml.core.training.standardization import input_stats
from nodeml.core.training.task_hint import task_hint

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_graphs"
TIMEOUT = 600  # torch's import alone takes a while on a loaded machine

# runs a script with nodeml out of reach: the test venv may hold an (editable) install of it
ISOLATED = """
import runpy, sys
sys.modules["nodeml"] = None  # any "import nodeml" now fails
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""
WRAPPER = """
import os, sys
import torch
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train
model = train.main(sys.argv[1:])
torch.save(model.state_dict(), f"rank{os.environ.get('RANK', '0')}.pt")
"""


def edge(a: str, b: str) -> dict:
    return {"source": a, "target": b}


def mlp_graph(path: Path, inputs: int, outputs: int, training: dict) -> Path:
    nodes = [
        {"id": "x", "type": "Input", "params": {"shape": [inputs]}},
        {"id": "hidden", "type": "Linear", "params": {"out_features": 16}},
        {"id": "act", "type": "ReLU"},
        {"id": "head", "type": "Linear", "params": {"out_features": outputs}},
        {"id": "out", "type": "Output"},
    ]
    edges = [edge("x", "hidden"), edge("hidden", "act"), edge("act", "head"), edge("head", "out")]
    graph = {"format": "nodeml.graph", "version": 1, "name": "Mlp", "nodes": nodes}
    path.write_text(json.dumps({**graph, "edges": edges, "training": training}))
    return path


def flowers_csv(path: Path, rows: int = 60) -> Path:
    """Three kinds of flower by two measurements, the kind named in the last column."""
    gen = torch.Generator().manual_seed(1)
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["petal", "sepal", "kind"])
        for i in range(rows):
            kind = ("setosa", "versicolor", "virginica")[i % 3]
            a, b = (torch.randn(2, generator=gen) * 0.3 + i % 3).tolist()
            out.writerow([f"{a:.3f}", f"{b:.3f}", kind])
    return path


def image_folder(root: Path, per_class: int = 8) -> Path:
    gen = torch.Generator().manual_seed(2)
    for k, colour in enumerate(((255, 0, 0), (0, 255, 0))):
        (root / f"class{k}").mkdir(parents=True)
        for i in range(per_class):
            pixels = (torch.rand(12, 12, 3, generator=gen) * 80).to(torch.uint8)
            pixels[2:9, 2:9] = torch.tensor(colour, dtype=torch.uint8)
            Image.fromarray(pixels.numpy()).save(root / f"class{k}" / f"{i}.png")
    return root


def image_graph(path: Path, training: dict) -> Path:
    nodes = [
        {"id": "x", "type": "Input", "params": {"shape": [3, 8, 8]}},
        {"id": "conv", "type": "Conv2d", "params": {"out_channels": 4, "kernel_size": 3}},
        {"id": "act", "type": "ReLU"},
        {"id": "flat", "type": "Flatten"},
        {"id": "head", "type": "Linear", "params": {"out_features": 2}},
        {"id": "out", "type": "Output"},
    ]
    edges = [edge("x", "conv"), edge("conv", "act"), edge("act", "flat"), edge("flat", "head")]
    graph = {"format": "nodeml.graph", "version": 1, "name": "Pictures", "nodes": nodes}
    path.write_text(
        json.dumps({**graph, "edges": [*edges, edge("head", "out")], "training": training})
    )
    return path


def export(graph_file: Path, out: Path) -> Path:
    """The script as ``nodeml export --with-training`` writes it."""
    assert main(["export", str(graph_file), "--with-training", "-o", str(out)]) == 0
    return out


def standalone_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def run_alone(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """``python -I`` (no PYTHONPATH, no user site) in ``folder``, nodeml out of reach."""
    (folder / "isolated.py").write_text(ISOLATED)
    result = subprocess.run(
        [sys.executable, "-I", "isolated.py", *args],
        cwd=folder,
        env=standalone_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Traceback" not in result.stderr
    return result


def run_torchrun(folder: Path, script: str, *args: str) -> subprocess.CompletedProcess:
    """Two processes on gloo, none of which can import nodeml."""
    (folder / "isolated.py").write_text(ISOLATED)
    launcher = [sys.executable, "-I", "-m", "torch.distributed.run", "--standalone"]
    result = subprocess.run(
        [*launcher, "--nproc-per-node=2", "isolated.py", script, *args],
        cwd=folder,
        env=standalone_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def load_module(path: Path):
    spec = importlib.util.spec_from_file_location(f"exported_train_{path.parent.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def nodeml_data(graph_file: Path):
    graph = nodeml.load_graph(graph_file)
    config = TrainingConfig.from_dict(graph.extras["training"])
    config = resolve_data_paths(config, graph_file.parent)
    return load_dataset(config, task_hint(graph, config))


def script_data(script: Path, *argv: str):
    module = load_module(script)
    args = module.parse_args(list(argv))
    data, classes = module.load_samples(args)
    return module, module.split(data, args.val_split, args.seed), classes


def same_samples(ours, theirs) -> None:
    assert len(ours) == len(theirs)
    x, y = first_samples(theirs, len(theirs))
    mine = [ours[i] for i in range(len(ours))]
    assert torch.allclose(torch.stack([m[0] for m in mine]), x, atol=1e-6)
    assert torch.equal(torch.stack([torch.as_tensor(m[1]) for m in mine]), y)


def test_nodeml_is_not_importable_where_the_scripts_run(tmp_path):
    (tmp_path / "uses_nodeml.py").write_text("import nodeml\n")
    result = run_alone(tmp_path, "uses_nodeml.py", check=False)
    assert result.returncode == 1 and "import of nodeml halted" in result.stderr


# ---- the same samples nodeml trains on ----------------------------------------------------------
@pytest.mark.parametrize(
    "dataset, options, inputs, outputs",
    [
        ("linear3d", {"n": 50}, 3, 1),
        ("spirals", {"n": 60, "classes": 3}, 2, 3),
        ("moons", {"n": 40}, 2, 2),
        ("tokens", {"n": 40, "length": 8, "classes": 2}, None, 2),
        ("shapes", {"n": 30, "image_size": 28, "channels": 3}, None, 10),
    ],
)
def test_built_in_sets_are_generated_as_nodeml_generates_them(
    tmp_path, dataset, options, inputs, outputs
):
    training = {"dataset": dataset, "dataset_options": options, "seed": 4}
    graph_file = mlp_graph(tmp_path / "g.json", inputs or 2, outputs, training)
    graph = json.loads(graph_file.read_text())
    if dataset == "tokens":  # Embedding -> Flatten -> Linear
        graph["nodes"][0]["params"] = {"shape": [8], "dtype": "long"}
        graph["nodes"][1] = {
            "id": "hidden",
            "type": "Embedding",
            "params": {"num_embeddings": 32, "embedding_dim": 4},
        }
        graph["nodes"][2] = {"id": "act", "type": "Flatten"}
    if dataset == "shapes":
        graph["nodes"][0]["params"] = {"shape": [3, 28, 28]}
        graph["nodes"][1] = {"id": "hidden", "type": "Flatten"}
        graph["nodes"][2] = {"id": "act", "type": "ReLU"}
    graph_file.write_text(json.dumps(graph))
    script = export(graph_file, tmp_path / "train.py")
    _, (train, val), classes = script_data(script)
    theirs = nodeml_data(graph_file)
    same_samples(train, theirs.train)  # raw, as nodeml gives them: the model standardises
    same_samples(val, theirs.val)
    assert classes == (list(theirs.info.classes) or None)


def test_a_csv_file_is_read_as_nodeml_reads_it_with_the_task_settled_for_the_graph(tmp_path):
    flowers_csv(tmp_path / "flowers.csv")
    training = {"dataset": "csv", "dataset_options": {"path": "flowers.csv"}, "seed": 1}
    graph_file = mlp_graph(tmp_path / "g.json", 2, 3, training)
    (tmp_path / "elsewhere").mkdir()
    script = export(graph_file, tmp_path / "elsewhere" / "train.py")
    text = script.read_text()
    assert "DATA_OPTIONS = {'path': '../flowers.csv'" in text  # relative to the script now
    assert (
        "TASK = 'classification'" in text
        and "CLASSES = ['setosa', 'versicolor', 'virginica']" in text
    )
    _, (train, val), classes = script_data(script)
    theirs = nodeml_data(graph_file)
    same_samples(train, theirs.train)
    same_samples(val, theirs.val)
    assert classes == list(theirs.info.classes)


def test_a_csv_cell_that_is_no_number_is_refused_naming_its_line(tmp_path):
    path = flowers_csv(tmp_path / "flowers.csv")
    training = {"dataset": "csv", "dataset_options": {"path": "flowers.csv"}}
    script = export(mlp_graph(tmp_path / "g.json", 2, 3, training), tmp_path / "train.py")
    lines = path.read_text().splitlines()
    lines[5] = "nan,1.0,setosa"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(
        SystemExit, match=r"flowers.csv line 6, column 'petal': 'nan' is not a number"
    ):
        script_data(script)
    lines[5] = "1.0,1.0,"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SystemExit, match=r"line 6, column 'kind': the label is missing"):
        script_data(script)


def test_an_unreadable_csv_is_refused_when_exporting(tmp_path):
    (tmp_path / "bad.csv").write_text("a,b,kind\n1,x,setosa\n")
    training = {"dataset": "csv", "dataset_options": {"path": "bad.csv"}}
    with pytest.raises(ExportError, match="the training section's CSV cannot be read"):
        training_script(
            nodeml.load_graph(mlp_graph(tmp_path / "g.json", 2, 3, training)), graph_dir=tmp_path
        )


def test_an_image_folder_is_read_as_nodeml_reads_it(tmp_path):
    image_folder(tmp_path / "pictures")
    options = {"root": "pictures", "image_size": 8, "channels": 3}
    graph_file = image_graph(
        tmp_path / "g.json", {"dataset": "image_folder", "dataset_options": options}
    )
    script = export(graph_file, tmp_path / "train.py")
    _, (train, val), classes = script_data(script)
    theirs = nodeml_data(graph_file)
    same_samples(train, theirs.train)
    same_samples(val, theirs.val)
    assert classes == ["class0", "class1"]


# ---- the standardisation nodeml fits --------------------------------------------------------------
def fitted(module, model_class: str, train) -> tuple[torch.Tensor, torch.Tensor]:
    """The script's own fit of its model's buffers (Input "x") on a training split."""
    model = getattr(module, model_class)()
    module.fit_standardization(model.x_mean, model.x_std, train)
    return model.x_mean, model.x_std


@pytest.mark.parametrize("kind", ["shapes", "csv", "image_folder"])
def test_the_script_fits_the_standardisation_nodeml_fits(tmp_path, kind):
    """On the same training split, from the same samples (as nodeml's Trainer fits them)."""
    if kind == "shapes":
        graph_file = mlp_graph(tmp_path / "g.json", 2, 10, {})
        graph = json.loads(graph_file.read_text())
        graph["nodes"][0]["params"] = {"shape": [3, 28, 28]}
        graph["nodes"][1] = {"id": "hidden", "type": "Flatten"}
        graph["training"] = {"dataset": "shapes", "dataset_options": {"n": 40, "channels": 3}}
        graph_file.write_text(json.dumps(graph))
    elif kind == "csv":
        flowers_csv(tmp_path / "flowers.csv")
        training = {"dataset": "csv", "dataset_options": {"path": "flowers.csv"}, "seed": 3}
        graph_file = mlp_graph(tmp_path / "g.json", 2, 3, training)
    else:
        image_folder(tmp_path / "pictures")
        options = {"root": "pictures", "image_size": 8, "channels": 3}
        training = {"dataset": "image_folder", "dataset_options": options}
        graph_file = image_graph(tmp_path / "g.json", training)
    script = export(graph_file, tmp_path / "train.py")
    module, (train, _), _ = script_data(script)
    mean, std = fitted(module, "Pictures" if kind == "image_folder" else "Mlp", train)
    want_mean, want_std = input_stats(nodeml_data(graph_file).train, tuple(mean.shape))
    torch.testing.assert_close(mean, want_mean)
    torch.testing.assert_close(std, want_std)
    assert not torch.equal(std, torch.ones_like(std))  # fitted, not left as initialised


def test_images_read_from_disk_are_fitted_on_the_samples_nodeml_picks(tmp_path):
    """A big folder is estimated from 1,000 evenly spaced training images, nodeml's own."""
    options = {"root": "pictures", "image_size": 8, "channels": 3}
    training = {"dataset": "image_folder", "dataset_options": options}
    module = load_module(export(image_graph(tmp_path / "g.json", training), tmp_path / "t.py"))

    class Lazy(torch.utils.data.Dataset):  # read one by one, as an ImageFolder is
        def __len__(self):
            return 5000

        def __getitem__(self, i):
            return torch.full((3, 8, 8), float(i % 7) + 0.1 * (i % 3)), 0

    train = torch.utils.data.Subset(Lazy(), list(range(1000, 5000)))
    mean, std = fitted(module, "Pictures", train)
    want_mean, want_std = input_stats(train, (3, 1, 1))
    torch.testing.assert_close(mean, want_mean)
    torch.testing.assert_close(std, want_std)
    everything = torch.stack([train[i][0] for i in range(len(train))])
    assert abs(mean.flatten()[0].item() - everything.mean().item()) > 1e-4  # not every sample


def test_the_script_keeps_the_class_names_and_a_resume_keeps_the_fit(tmp_path):
    flowers_csv(tmp_path / "flowers.csv")
    training = {"dataset": "csv", "dataset_options": {"path": "flowers.csv"}, "batch_size": 8}
    export(mlp_graph(tmp_path / "g.json", 2, 3, training), tmp_path / "train.py")
    run_alone(tmp_path, "train.py", "--epochs", "1")
    state = torch.load(tmp_path / "checkpoint.pt", weights_only=True)["model"]
    assert state["_extra_state"] == {"classes": ["setosa", "versicolor", "virginica"]}
    assert not torch.equal(state["x_std"], torch.ones_like(state["x_std"]))
    lines = (tmp_path / "flowers.csv").read_text().splitlines()
    scaled = [lines[0]] + [
        f"{float(a) * 10},{b},{k}" for a, b, k in (x.split(",") for x in lines[1:])
    ]
    (tmp_path / "flowers.csv").write_text("\n".join(scaled) + "\n")
    run_alone(tmp_path, "train.py", "--epochs", "2", "--resume")
    again = torch.load(tmp_path / "checkpoint.pt", weights_only=True)["model"]
    assert torch.equal(again["x_mean"], state["x_mean"])  # fitted once, at the fresh start
    assert again["_extra_state"] == state["_extra_state"]


# ---- standalone: one process and two -------------------------------------------------------------
def test_a_csv_trains_standalone_in_one_process_and_resumes(tmp_path):
    flowers_csv(tmp_path / "flowers.csv")
    training = {
        "dataset": "csv",
        "dataset_options": {"path": "flowers.csv"},
        "epochs": 2,
        "batch_size": 8,
        "lr": 0.05,
    }
    export(mlp_graph(tmp_path / "g.json", 2, 3, training), tmp_path / "train.py")
    (tmp_path / "g.json").unlink()  # the script needs nothing of nodeml's
    result = run_alone(tmp_path, "train.py")
    assert "epoch 2/2  train loss" in result.stdout and "val accuracy" in result.stdout
    state = torch.load(tmp_path / "checkpoint.pt", weights_only=True)
    classes = ["setosa", "versicolor", "virginica"]
    assert state["epoch"] == 2 and state["model"]["_extra_state"] == {"classes": classes}
    resumed = run_alone(tmp_path, "train.py", "--resume", "--epochs", "3")
    assert "epoch 2/3" not in resumed.stdout and "epoch 3/3" in resumed.stdout


def test_a_csv_trains_standalone_in_two_processes_that_end_with_equal_weights(tmp_path):
    flowers_csv(tmp_path / "flowers.csv")
    training = {
        "dataset": "csv",
        "dataset_options": {"path": "flowers.csv"},
        "epochs": 2,
        "batch_size": 8,
        "lr": 0.05,
    }
    export(mlp_graph(tmp_path / "g.json", 2, 3, training), tmp_path / "train.py")
    (tmp_path / "run_and_save.py").write_text(WRAPPER)
    result = run_torchrun(tmp_path, "run_and_save.py")
    assert result.stdout.count("epoch 2/2") == 1  # process 0 speaks for both
    ranks = [torch.load(tmp_path / f"rank{r}.pt", weights_only=True) for r in (0, 1)]
    assert ranks[0].keys() == ranks[1].keys()
    for key, value in ranks[0].items():
        if torch.is_tensor(value):  # the standardisation buffers too
            assert torch.equal(value, ranks[1][key]), key
        else:  # the class names (extra state)
            assert value == ranks[1][key], key
    torch.manual_seed(0)
    initial = load_module(tmp_path / "train.py").Mlp().state_dict()
    tensors = [k for k in initial if torch.is_tensor(initial[k])]
    assert any(not torch.equal(ranks[0][k], initial[k]) for k in tensors)  # it did train


def test_an_image_folder_trains_standalone_in_one_process_and_in_two(tmp_path):
    image_folder(tmp_path / "pictures")
    options = {"root": "pictures", "image_size": 8, "channels": 3}
    training = {
        "dataset": "image_folder",
        "dataset_options": options,
        "epochs": 1,
        "batch_size": 4,
        "num_workers": 1,
    }
    export(image_graph(tmp_path / "g.json", training), tmp_path / "train.py")
    one = run_alone(tmp_path, "train.py")
    assert "epoch 1/1  train loss" in one.stdout
    two = run_torchrun(tmp_path, "train.py", "--checkpoint", "two.pt")
    assert two.stdout.count("epoch 1/1") == 1
    model = load_module(tmp_path / "train.py").Pictures()
    model.load_state_dict(torch.load(tmp_path / "two.pt", weights_only=True)["model"])


# ---- the script itself -----------------------------------------------------------------------------
def test_argparse_defaults_mirror_the_training_section(tmp_path):
    train = load_module(export(SAMPLES / "linear_regression.json", tmp_path / "train.py"))
    args = train.parse_args([])
    assert (args.epochs, args.batch_size, args.lr, args.optimizer) == (20, 32, 0.1, "sgd")
    assert train.TASK == "regression" and train.DATASET == "linear1d"
    assert "loss_fn = nn.MSELoss()" in (tmp_path / "train.py").read_text()
    lenet = load_module(export(SAMPLES / "lenet.json", tmp_path / "lenet.py")).parse_args([])
    assert (lenet.epochs, lenet.batch_size, lenet.lr, lenet.optimizer) == (5, 64, 0.001, "adam")


def test_an_autoencoder_learns_to_reproduce_its_raw_input(tmp_path):
    train = load_module(export(SAMPLES / "conv_autoencoder.json", tmp_path / "train.py"))
    assert (train.TASK, train.RECONSTRUCT) == ("regression", True)
    assert not list(train.ConvAutoencoder().buffers())  # nothing standardised
    assert "fit_standardization(model." not in (tmp_path / "train.py").read_text()


def test_the_model_class_is_the_exported_code(tmp_path):
    graph = nodeml.load_graph(SAMPLES / "lenet.json")
    script = export(SAMPLES / "lenet.json", tmp_path / "train.py").read_text()
    exported = nodeml.export_code(graph)
    class_block = exported[exported.index("class LeNet") : exported.index("\n\nif __name__")]
    assert class_block in script


def test_graphs_with_several_outputs_are_refused():
    graph = nodeml.load_graph(SAMPLES / "lenet.json")
    graph.add_node(nodeml.Node("features", "Output"))
    graph.connect(nodeml.Edge("fc2", "features"))
    with pytest.raises(
        ExportError, match="exactly one Input and one Output node; this graph has 1 and 2"
    ):
        training_script(graph)


def test_export_command_with_training(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    add_commands(parser.add_subparsers(dest="command"))
    out = tmp_path / "train.py"
    args = parser.parse_args(
        ["export", str(SAMPLES / "lenet.json"), "--with-training", "-o", str(out)]
    )
    assert args.func(args) == 0
    assert "torchrun --nproc_per_node=N" in capsys.readouterr().out
    assert load_module(out).parse_args(["--epochs", "3"]).epochs == 3


def test_the_docstring_runs_the_script_by_the_name_it_was_saved_under(tmp_path):
    out = export(SAMPLES / "lenet.json", tmp_path / "train_lenet.py")
    doc = ast.get_docstring(ast.parse(out.read_text(encoding="utf-8")))
    commands = [line.split("#")[0].strip() for line in doc.splitlines() if "#" in line]
    assert commands == [
        "python train_lenet.py",
        "torchrun --nproc_per_node=N train_lenet.py",
        "python train_lenet.py --resume",
    ]
    assert len({line.index("#") for line in doc.splitlines() if "#" in line}) == 1  # aligned
    odd = training_script(nodeml.load_graph(SAMPLES / "lenet.json"), filename='my "net"\\v2.py')
    doc = ast.get_docstring(ast.parse(odd))  # the name cannot break the script's docstring
    assert "python 'my \"net\"\\v2.py' --resume" in doc
