"""A CSV's target column: labels compared canonically, and the task chosen from the column, the
``task`` option and the graph (its loss and its Output's width), every mismatch naming the option."""

from __future__ import annotations

import json

import pytest
import torch
from csv_support import load, samples  # tests/core is on sys.path under pytest

from nodeml.cli import main
from nodeml.core.checkpoint import load_checkpoint
from nodeml.core.serialize import graph_from_dict
from nodeml.core.training import DatasetError, Trainer, TrainingConfig
from nodeml.core.training.csv_target import GUESSED_CLASSES_MAX
from nodeml.core.training.datasets import TaskHint, dataset_spec, resolve_options
from nodeml.core.training.task_hint import task_hint

TASK_OPTION = "training.dataset_options.task"


def table(labels, features=2) -> str:
    head = ",".join(f"f{j}" for j in range(features)) + ",label\n"
    rows = "".join(
        ",".join(str((i * 7 + j) % 5) for j in range(features)) + f",{label}\n"
        for i, label in enumerate(labels)
    )
    return head + rows


# tiny models run faster on one thread than split across two busy cores
pytestmark = pytest.mark.usefixtures("one_thread")


# ---- labels ------------------------------------------------------------------------------------
def test_spellings_of_one_number_are_one_class(tmp_path):
    data = load(tmp_path, table(["3", "3.0", " 3 ", "+3", "03", "7", "7.00"]), TaskHint(2))
    assert data.info.classes == ("3", "7") and data.info.num_classes == 2
    assert samples(data)[1].tolist() == [0, 0, 0, 0, 0, 1, 1]


def test_numeric_classes_are_ordered_by_value_names_by_text(tmp_path):
    data = load(tmp_path, table(["10", "9", "2", "10", "-1"]), TaskHint(4))
    assert data.info.classes == ("-1", "2", "9", "10")
    assert samples(data)[1].tolist() == [3, 2, 1, 3, 0]
    names = load(tmp_path, table(["virginica", "setosa ", "versicolor", "setosa"]))
    assert names.info.classes == ("setosa", "versicolor", "virginica")
    assert samples(names)[1].tolist() == [2, 0, 1, 0]
    fractions = load(tmp_path, table(["0.5", "1.25", "0.50"]), task="classification")
    assert fractions.info.classes == ("0.5", "1.25")


def test_a_text_among_numbers_is_refused_naming_its_line_unless_classes_are_asked_for(tmp_path):
    labels = ["1", "2", "1", "x3", "2", "1"]
    with pytest.raises(DatasetError, match=r"line 5, column 'label' holds 'x3', but 5 of") as e:
        load(tmp_path, table(labels), TaskHint(3))
    assert f'{TASK_OPTION} to "classification"' in str(e.value)
    data = load(tmp_path, table(labels), task="classification")
    assert data.info.classes == ("1", "2", "x3")
    with pytest.raises(DatasetError, match=r"line 5, column 'label' holds 'x3', not a number"):
        load(tmp_path, table(labels), task="regression")


def test_a_typo_of_a_common_label_is_refused_unless_classes_are_asked_for(tmp_path):
    labels = ["setosa"] * 12 + ["versicolor"] * 12 + ["setsoa"]
    with pytest.raises(DatasetError, match=r"line 26, column 'label' holds 'setsoa'.*'setosa'"):
        load(tmp_path, table(labels))
    assert load(tmp_path, table(labels), task="classification").info.num_classes == 3
    rare_but_distinct = ["setosa"] * 12 + ["versicolor"] * 12 + ["virginica"]
    assert load(tmp_path, table(rare_but_distinct)).info.num_classes == 3


def test_one_blank_regression_target_is_refused_not_turned_into_classes(tmp_path):
    values = [f"{25 + i * 1.37:.2f}" for i in range(215)]
    values[100] = ""
    with pytest.raises(DatasetError, match=r"line 102, column 'label' is blank"):
        load(tmp_path, table(values), TaskHint(1))


def test_a_single_class_is_refused(tmp_path):
    with pytest.raises(DatasetError, match=r"lines 2 to 4, column 'label': every label is 'a'"):
        load(tmp_path, table(["a", "a", "a"]))


# ---- the task ------------------------------------------------------------------------------------
DIGITS = [str(i % 10) for i in range(40)]


@pytest.mark.parametrize(
    ("hint", "task"),
    [
        (TaskHint(output_width=10), "classification"),
        (TaskHint(output_width=12), "classification"),
        (TaskHint(output_width=1), "regression"),
        (TaskHint(loss="cross_entropy"), "classification"),
        (TaskHint(output_width=1, loss="nll"), "classification"),
        (TaskHint(loss="mse"), "regression"),
        (TaskHint(output_width=10, loss="huber"), "regression"),
        (TaskHint(task="classification"), "classification"),
        (TaskHint(task="regression", output_width=10), "regression"),
    ],
)
def test_whole_number_labels_follow_the_graph(tmp_path, hint, task):
    data = load(tmp_path, table(DIGITS), hint)
    assert data.info.task == task
    if task == "classification":
        assert data.info.classes == tuple(str(i) for i in range(10))
        assert samples(data)[1].tolist() == [i % 10 for i in range(40)]
    else:
        assert samples(data)[1].flatten().tolist() == [float(i % 10) for i in range(40)]
    if hint.loss is None and hint.task is None:  # the graph's width decided: the user is told
        assert any(TASK_OPTION in note for note in data.info.notes)


def test_an_output_width_that_fits_neither_reading_names_the_task_option(tmp_path):
    with pytest.raises(DatasetError, match="Output gives 5 values per sample") as caught:
        load(tmp_path, table(DIGITS), TaskHint(output_width=5))
    assert "out_features=10" in str(caught.value) and TASK_OPTION in str(caught.value)


def test_without_a_graph_the_documented_guess_is_made_and_said(tmp_path):
    few = load(tmp_path, table(DIGITS))
    assert few.info.task == "classification" and "at most 20" in few.info.notes[0]
    many = [str(i) for i in range(GUESSED_CLASSES_MAX + 1)]
    assert load(tmp_path, table(many)).info.task == "regression"


def test_two_whole_labels_and_one_output_make_a_binary_classifier(tmp_path):
    data = load(tmp_path, table(["0", "1", "1", "0"]), TaskHint(output_width=1))
    assert data.info.task == "binary" and data.info.classes == ("0", "1")
    assert "binary classifier" in data.info.notes[0] and TASK_OPTION in data.info.notes[0]
    names = load(tmp_path, table(["no", "yes", "yes"]), TaskHint(output_width=1))
    assert names.info.task == "binary" and names.info.classes == ("no", "yes")


@pytest.mark.parametrize(
    ("labels", "options", "hint", "pattern"),
    [
        (["1.5", "2.25", "3"], {}, TaskHint(loss="cross_entropy"), "fractional numbers"),
        (["1.5", "2.25", "3"], {}, TaskHint(task="classification"), "fractional numbers"),
        (DIGITS, {"task": "regression"}, TaskHint(loss="cross_entropy"), 'is "regression"'),
        (DIGITS, {"task": "classification"}, TaskHint(4, loss="mse"), 'is "classification"'),
        (DIGITS, {}, TaskHint(loss="bce_with_logits"), "two-class"),
    ],
)
def test_a_task_the_column_cannot_give_is_refused_naming_the_option(
    tmp_path, labels, options, hint, pattern
):
    with pytest.raises(DatasetError, match=pattern) as caught:
        load(tmp_path, table(labels), hint, **options)
    assert "training.dataset_options.task" in str(caught.value) or "cross_entropy" in str(
        caught.value
    )


def test_class_names_cannot_be_a_regression_target(tmp_path):
    with pytest.raises(DatasetError, match="holds class names.*training.loss mse cannot fit"):
        load(tmp_path, table(["a", "b", "a"]), TaskHint(output_width=1, loss="mse"))
    # a regression loss with an Output as wide as the features is an autoencoder: labels unused
    auto = load(tmp_path, table(["a", "b", "a"]), TaskHint(output_width=2, loss="mse"))
    assert auto.info.task == "classification" and "autoencoder" in auto.info.notes[0]


def test_explicit_regression_reads_the_numbers(tmp_path):
    data = load(tmp_path, table(DIGITS), TaskHint(output_width=10), task="regression")
    assert data.info.task == "regression" and data.info.target_shape == (1,)


# ---- the hint from a graph ----------------------------------------------------------------------
def mlp(out_features: int, training: dict, features: int = 2) -> dict:
    return {
        "format": "nodeml.graph",
        "version": 1,
        "name": "Tab",
        "nodes": [
            {"id": "x", "type": "Input", "params": {"shape": [features]}},
            {"id": "fc1", "type": "Linear", "params": {"out_features": 16}},
            {"id": "act", "type": "ReLU"},
            {"id": "fc2", "type": "Linear", "params": {"out_features": out_features}},
            {"id": "out", "type": "Output"},
        ],
        "edges": [
            {"source": "x", "target": "fc1"},
            {"source": "fc1", "target": "act"},
            {"source": "act", "target": "fc2"},
            {"source": "fc2", "target": "out"},
        ],
        "training": training,
    }


def test_task_hint_reads_the_output_width_and_the_loss():
    config = TrainingConfig(dataset="csv", loss="CrossEntropyLoss")
    hint = task_hint(graph_from_dict(mlp(7, {})), config)
    assert hint == TaskHint(output_width=7, loss="cross_entropy")
    two = mlp(7, {})
    two["nodes"].append({"id": "out2", "type": "Output"})
    two["edges"].append({"source": "act", "target": "out2"})
    assert task_hint(graph_from_dict(two), config) == TaskHint(loss="cross_entropy")
    # datasets that take no hint cost no shape inference
    assert task_hint(graph_from_dict(mlp(7, {})), TrainingConfig(dataset="spirals")) is None


def test_digits_train_from_the_cli_with_no_task_option(tmp_path, monkeypatch, capsys):
    """Whole-number labels 0..3 and an Output of 4: classification, said in a note."""
    monkeypatch.chdir(tmp_path)
    gen = torch.Generator().manual_seed(0)
    centres = torch.tensor([[2.0, 0.0], [0.0, 2.0], [-2.0, 0.0], [0.0, -2.0]])
    y = torch.arange(200) % 4
    x = centres[y] + 0.3 * torch.randn(200, 2, generator=gen)
    rows = "".join(f"{a:.4f},{b:.4f},{int(c)}\n" for (a, b), c in zip(x.tolist(), y, strict=True))
    (tmp_path / "digits.csv").write_text("f0,f1,digit\n" + rows)
    training = {
        "dataset": "csv",
        "dataset_options": {"path": "digits.csv"},
        "epochs": 15,
        "lr": 0.05,
    }
    graph = tmp_path / "g.json"
    graph.write_text(json.dumps(mlp(4, training)))
    assert main(["train", str(graph), "--out", "run"]) == 0
    out = capsys.readouterr().out
    assert "note: column 'digit' holds whole numbers (0..3): read as 4 classes" in out
    assert "loss cross_entropy" in out
    assert load_checkpoint(tmp_path / "run" / "best.pt")["training"]["dataset"] == "csv"
    assert main(["evaluate", str(graph), str(tmp_path / "run" / "best.pt")]) == 0
    accuracy = float(capsys.readouterr().out.split("accuracy:")[1].split()[0])
    assert accuracy > 0.9


def test_a_nan_cell_fails_the_cli_in_one_line_naming_it(tmp_path, capsys):
    (tmp_path / "d.csv").write_text("a,b,y\n1,2,0\n3,nan,1\n")
    training = {"dataset": "csv", "dataset_options": {"path": str(tmp_path / "d.csv")}}
    graph = tmp_path / "g.json"
    graph.write_text(json.dumps(mlp(2, training)))
    assert main(["train", str(graph), "--out", str(tmp_path / "run")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"nodeml train: {tmp_path / 'd.csv'} line 3, column 'b' holds 'nan', a "
        "missing value; fill it in or delete the line (nodeml does not guess missing "
        "values)"
    ]


def test_the_builder_works_without_a_hint_as_the_preview_calls_it(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(table(["a", "b", "a"]))
    spec = dataset_spec("csv")
    raw = spec.build(resolve_options(spec, {"path": str(path)}))
    assert raw.info.classes == ("a", "b")


def test_the_trainer_passes_the_dataset_notes_on(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(table(["0", "1", "2"] * 4))
    config = TrainingConfig(dataset="csv", dataset_options={"path": str(path)}, epochs=1)
    model = torch.nn.Linear(2, 3)
    trainer = Trainer(model, config)
    assert any("read as 3 classes" in note for note in trainer.notes)
