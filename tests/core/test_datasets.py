"""Datasets: built-in sets are deterministic and shaped as they say; real loaders read real file layouts."""

from __future__ import annotations

import struct
import subprocess
import sys

import pytest
import torch
from PIL import Image

from nodeml.core.errors import TrainingError
from nodeml.core.serialize import graph_from_dict
from nodeml.core.training.config import TrainingConfig
from nodeml.core.training.datasets import (
    DatasetError,
    TensorData,
    check_input,
    dataset_names,
    first_samples,
    load_dataset,
    standardizes_inputs,
)

BUILTIN = ["linear1d", "linear3d", "spirals", "moons", "shapes", "tokens"]


def _load(name, **kw):
    options = kw.pop("options", {})
    return load_dataset(TrainingConfig(dataset=name, dataset_options=options, **kw))


@pytest.mark.parametrize("name", BUILTIN)
def test_builtin_sample_matches_its_info_and_is_deterministic(name):
    data = _load(name)
    x, y = first_samples(data.train, 8)
    info = data.info
    assert tuple(x.shape[1:]) == info.sample_shape
    assert str(x.dtype).removeprefix("torch.").replace("int64", "long") == info.dtype
    assert tuple(y.shape[1:]) == info.target_shape
    if info.task == "classification":
        assert y.dtype == torch.long and int(y.max()) < info.num_classes
    again = first_samples(_load(name).train, 8)
    assert torch.equal(x, again[0]) and torch.equal(y, again[1])
    other = first_samples(_load(name, options={"seed": 5}).train, 8)
    assert not torch.equal(x, other[0])
    assert data.test is not None and len(data.test) > 0


def test_registry_lists_builtin_and_real_datasets():
    assert set(BUILTIN + ["mnist", "fashion_mnist", "cifar10", "image_folder", "csv"]) <= set(
        dataset_names()
    )


@pytest.mark.parametrize("first", ["synthetic", "real", "datasets"])
def test_the_registry_order_does_not_depend_on_which_module_is_imported_first(first):
    """The settings' list, the docs and the default dataset's probing order read it (the
    exported training script imports the generators directly)."""
    code = (
        f"import nodeml.core.training.{first}\n"
        "from nodeml.core.training.datasets import dataset_names\n"
        "print(','.join(dataset_names()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    names = result.stdout.strip().split(",")
    assert names[:5] == ["mnist", "fashion_mnist", "cifar10", "image_folder", "csv"]
    assert names[5:] == ["linear1d", "linear3d", "spirals", "moons", "shapes", "tokens"]


def test_shapes_options_select_size_and_channels():
    data = _load("shapes", options={"n": 200, "image_size": 32, "channels": 3})
    x, y = first_samples(data.train, 4)
    assert data.info.sample_shape == (3, 32, 32) == tuple(x.shape[1:])
    assert data.info.num_classes == 10 and len(data.info.classes) == 10


def test_split_is_disjoint_sized_and_seeded():
    data = _load("linear1d", val_split=0.25)
    assert (len(data.train), len(data.val)) == (750, 250)
    train_x = {float(v) for v in data.train.x.flatten()}
    assert not train_x & {float(v) for v in data.val.x.flatten()}
    assert _load("linear1d", val_split=0).val is None
    assert not torch.equal(_load("linear1d", seed=1).val.x, data.val.x)


def test_samples_are_raw_and_whether_to_standardise_is_known_without_data():
    """Standardising is the model's job (buffers fitted on the training split), so the data
    stays raw: images as ToTensor gives them, in [0, 1]."""
    x, _ = first_samples(_load("shapes", options={"n": 500}).train, 400)
    assert float(x.min()) == 0 and float(x.max()) == 1 and float(x.mean()) > 0.05
    assert standardizes_inputs(TrainingConfig(dataset="shapes"))
    assert not standardizes_inputs(TrainingConfig(dataset="shapes", normalize=False))
    assert not standardizes_inputs(TrainingConfig(dataset="linear1d"))  # w=2, b=1 stay readable
    assert standardizes_inputs(TrainingConfig(dataset="linear1d", normalize=True))
    assert not standardizes_inputs(TrainingConfig(dataset="tokens"))
    # an autoencoder reproduces its raw input; a regression loss on a table is no autoencoder
    assert not standardizes_inputs(TrainingConfig(dataset="shapes", task="regression"))
    assert standardizes_inputs(TrainingConfig(dataset="csv", loss="mse"))
    assert standardizes_inputs(TrainingConfig(dataset="image_folder"))


def test_unknown_dataset_and_option_name_the_fix():
    with pytest.raises(DatasetError, match="did you mean 'spirals'"):
        _load("spiral")
    with pytest.raises(DatasetError, match="dataset_options.size: shapes has no option 'size'"):
        _load("shapes", options={"size": 32})
    with pytest.raises(DatasetError, match="image_size: must be 28 or 32"):
        _load("shapes", options={"image_size": 30})


def _graph(shape, dtype="float32", inputs=1):
    nodes = [
        {"id": f"x{i}", "type": "Input", "params": {"shape": shape, "dtype": dtype}}
        for i in range(inputs)
    ]
    return graph_from_dict({"format": "nodeml.graph", "version": 1, "nodes": nodes})


def test_input_check_passes_a_matching_input_and_suggests_fixes_otherwise():
    info = _load("shapes", options={"n": 20}).info
    assert check_input(info, _graph([1, 28, 28])) == []
    [problem] = check_input(info, _graph([3, 32, 32]))
    assert problem.node == "x0" and problem.field == "shape"
    assert "set its shape to [1, 28, 28]" in problem.message
    assert "channels=3, image_size=32" in problem.message
    tokens = _load("tokens").info
    [dtype] = check_input(tokens, _graph([16]))
    assert dtype.field == "dtype" and "set its dtype to long" in dtype.message
    assert "no Input node" in check_input(info, _graph([1], inputs=0))[0].message
    assert "2 Input nodes" in check_input(info, _graph([1, 28, 28], inputs=2))[0].message


# ---- real datasets, on files the test writes ----------------------------------------------------
def _idx(path, data: torch.Tensor):
    """Write ``data`` (uint8) in the raw idx format torchvision's MNIST reader parses."""
    header = struct.pack(">I", 0x0800 | data.dim()) + b"".join(
        struct.pack(">I", d) for d in data.shape
    )
    path.write_bytes(header + data.numpy().tobytes())


@pytest.mark.parametrize(
    ("name", "folder"), [("mnist", "MNIST"), ("fashion_mnist", "FashionMNIST")]
)
def test_mnist_format_files_are_read(tmp_path, name, folder):
    raw = tmp_path / folder / "raw"
    raw.mkdir(parents=True)
    gen = torch.Generator().manual_seed(0)
    for split, n in (("train", 50), ("t10k", 20)):
        _idx(
            raw / f"{split}-images-idx3-ubyte",
            torch.randint(0, 256, (n, 28, 28), dtype=torch.uint8, generator=gen),
        )
        _idx(raw / f"{split}-labels-idx1-ubyte", (torch.arange(n) % 10).to(torch.uint8))
    data = _load(name, options={"root": str(tmp_path)}, val_split=0.2, normalize=False)
    assert (len(data.train), len(data.val), len(data.test)) == (40, 10, 20)
    x, y = first_samples(data.test, 3)
    assert x.shape == (3, 1, 28, 28) and x.dtype == torch.float32 and float(x.max()) <= 1
    assert y.tolist() == [0, 1, 2]
    assert data.info.num_classes == 10 and data.info.kind == "image"


@pytest.mark.parametrize(
    ("name", "expected"), [("mnist", "train-images-idx3-ubyte"), ("cifar10", "cifar-10-batches-py")]
)
def test_absent_real_dataset_offline_says_where_to_put_it(tmp_path, name, expected):
    with pytest.raises(DatasetError) as info:
        _load(name, options={"root": str(tmp_path)})
    text = str(info.value)
    assert str(tmp_path) in text and expected in text and "download=true" in text
    assert isinstance(info.value, TrainingError)


def test_image_folder_tree_is_read_resized_and_labelled(tmp_path):
    for k, colour in enumerate([(255, 0, 0), (0, 0, 255)]):
        folder = tmp_path / ["apple", "berry"][k]
        folder.mkdir()
        for i in range(3):
            Image.new("RGB", (20 + i, 16), colour).save(folder / f"{i}.png")
    data = _load("image_folder", options={"root": str(tmp_path), "image_size": 8}, val_split=0)
    assert data.info.classes == ("apple", "berry") and data.info.sample_shape == (3, 8, 8)
    x, y = first_samples(data.train, 6)
    assert x.shape == (6, 3, 8, 8) and y.tolist() == [0, 0, 0, 1, 1, 1]
    # ToTensor's output, unchanged: pure red and pure blue are 1.0 in their channel
    assert float(x[0, 0].min()) == 1 and float(x[-1, 2].min()) == 1 and float(x.max()) == 1
    grey = _load("image_folder", options={"root": str(tmp_path), "image_size": 8, "channels": 1})
    assert grey.info.sample_shape == (1, 8, 8)
    with pytest.raises(DatasetError, match="one sub-folder per class"):
        _load("image_folder", options={"root": str(tmp_path / "missing")})


def test_csv_regression_and_classification(tmp_path):
    path = tmp_path / "houses.csv"
    path.write_text(
        "rooms,area,note,price,kind\n3,70,a,200.5,flat\n5,120,b,410,house\n2,40,c,150,flat\n"
    )
    reg = _load(
        "csv",
        options={"path": str(path), "features": ["rooms", "area"], "target": "price"},
        val_split=0,
        normalize=False,
    )
    assert (
        reg.info.task == "regression"
        and reg.info.sample_shape == (2,)
        and reg.info.target_shape == (1,)
    )
    x, y = first_samples(reg.train, 3)
    assert x.tolist()[1] == [5.0, 120.0] and y.flatten().tolist() == [200.5, 410.0, 150.0]
    cls = _load(
        "csv",
        options={"path": str(path), "features": ["rooms", "area"], "target": "kind"},
        val_split=0,
    )
    assert cls.info.task == "classification" and cls.info.classes == ("flat", "house")
    assert first_samples(cls.train, 3)[1].tolist() == [0, 1, 0]
    with pytest.raises(DatasetError, match="column 'note' holds 'a', not a number"):
        _load("csv", options={"path": str(path), "target": "price"})
    with pytest.raises(DatasetError, match="no column 'cost'"):
        _load("csv", options={"path": str(path), "target": "cost"})


def test_tensor_data_batches_match_single_items():
    data = TensorData(torch.arange(12, dtype=torch.uint8).reshape(6, 2), torch.arange(6))
    xb, yb = data.__getitems__([4, 1])
    assert torch.equal(xb[0], data[4][0]) and yb.tolist() == [4, 1]
    assert xb.dtype == torch.float32
