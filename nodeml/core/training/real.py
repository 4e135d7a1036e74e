"""Datasets read from disk: torchvision MNIST / FashionMNIST / CIFAR-10, an ImageFolder tree, a CSV file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch

from .csv_table import CsvError, read_table
from .csv_target import TASK_OPTIONS, read_target
from .dataset_registry import (
    DatasetError,
    DatasetInfo,
    DatasetSpec,
    RawData,
    TaskHint,
    TensorData,
    register,
)

_MNIST_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)


def _root(options: dict[str, Any]) -> Path:
    root = options["root"]
    if not isinstance(root, str) or not root:
        raise DatasetError("training.dataset_options.root: must be a folder path")
    return Path(os.path.expanduser(root))


def _download_flag(options: dict[str, Any]) -> bool:
    if not isinstance(options["download"], bool):
        raise DatasetError("training.dataset_options.download: must be true or false")
    return options["download"]


def _open_torchvision(
    cls: Any, title: str, root: Path, download: bool, expected: str
) -> tuple[Any, Any]:
    """Both official splits; absent files become a DatasetError saying where to put them."""
    try:
        return cls(root, train=True, download=download), cls(root, train=False, download=download)
    except (RuntimeError, OSError) as exc:  # torchvision: "Dataset not found"; offline: URLError
        if download:
            raise DatasetError(
                f"{title} could not be downloaded to {root} ({exc}); check the network, or copy "
                f"the files ({expected}) there by hand and set download to false"
            ) from None
        raise DatasetError(
            f"{title} is not in {root} (expected {expected}); set the dataset option "
            f"download=true when online, or copy the files there, or point root at them"
        ) from None


def _mnist_like(options: dict[str, Any], cls_name: str, name: str, title: str) -> RawData:
    from torchvision import datasets

    root, download = _root(options), _download_flag(options)
    expected = f"{cls_name}/raw/" + ", ".join(_MNIST_FILES)
    train, test = _open_torchvision(getattr(datasets, cls_name), title, root, download, expected)
    classes = tuple(str(c) for c in train.classes)
    info = DatasetInfo(
        name, "classification", (1, 28, 28), "float32", len(classes), classes=classes, kind="image"
    )
    return RawData(
        TensorData(train.data.unsqueeze(1), train.targets),
        info,
        TensorData(test.data.unsqueeze(1), test.targets),
    )


def _cifar10(options: dict[str, Any]) -> RawData:
    from torchvision import datasets

    root, download = _root(options), _download_flag(options)
    train, test = _open_torchvision(
        datasets.CIFAR10,
        "CIFAR-10",
        root,
        download,
        "cifar-10-batches-py/data_batch_1 ... test_batch",
    )

    def tensors(ds: Any) -> TensorData:
        x = torch.from_numpy(ds.data).permute(0, 3, 1, 2).contiguous()  # HWC -> CHW
        return TensorData(x, torch.as_tensor(ds.targets, dtype=torch.long))

    classes = tuple(train.classes)
    info = DatasetInfo(
        "cifar10", "classification", (3, 32, 32), "float32", 10, classes=classes, kind="image"
    )
    return RawData(tensors(train), info, tensors(test))


_TV = {"root": "data", "download": False}
register(
    DatasetSpec(
        "mnist",
        "handwritten digits, 28x28 grey (torchvision)",
        lambda o: _mnist_like(o, "MNIST", "mnist", "MNIST"),
        dict(_TV),
        builtin=False,
        task="classification",
    )
)
register(
    DatasetSpec(
        "fashion_mnist",
        "clothing images, 28x28 grey (torchvision)",
        lambda o: _mnist_like(o, "FashionMNIST", "fashion_mnist", "FashionMNIST"),
        dict(_TV),
        builtin=False,
        task="classification",
    )
)
register(
    DatasetSpec(
        "cifar10",
        "32x32 colour photos, 10 classes (torchvision)",
        _cifar10,
        dict(_TV),
        builtin=False,
        task="classification",
    )
)


# ---- ImageFolder --------------------------------------------------------------------------------
def _to_rgb(image: Any) -> Any:
    return image.convert("RGB")  # a module-level function, so DataLoader workers can pickle it


def _image_folder(options: dict[str, Any]) -> RawData:
    from torchvision import datasets, transforms

    root = _root(options)
    size, channels = options["image_size"], options["channels"]
    if not isinstance(size, int) or isinstance(size, bool) or size < 4:
        raise DatasetError(
            f"training.dataset_options.image_size: must be a whole number >= 4, got {size!r}"
        )
    if channels not in (1, 3):
        raise DatasetError(f"training.dataset_options.channels: must be 1 or 3, got {channels!r}")
    mode = transforms.Grayscale(1) if channels == 1 else transforms.Lambda(_to_rgb)
    tf = transforms.Compose([mode, transforms.Resize((size, size)), transforms.ToTensor()])

    def folder(path: Path) -> Any:
        try:
            return datasets.ImageFolder(str(path), transform=tf)
        except (FileNotFoundError, OSError) as exc:
            raise DatasetError(
                f"training.dataset_options.root: cannot use {path} as an image folder ({exc}); it needs "
                "one sub-folder per class holding .png / .jpg images"
            ) from None

    train = folder(root)
    test_root = options["test_root"]
    test = folder(Path(os.path.expanduser(test_root))) if test_root else None
    classes = tuple(train.classes)
    info = DatasetInfo(
        "image_folder",
        "classification",
        (channels, size, size),
        "float32",
        len(classes),
        classes=classes,
        kind="image",
    )
    return RawData(train, info, test)


register(
    DatasetSpec(
        "image_folder",
        "your images: root/<class name>/*.png, resized to image_size x image_size",
        _image_folder,
        {"root": "", "test_root": "", "image_size": 32, "channels": 3},
        builtin=False,
        task="classification",
        options_for_shape=lambda s: (
            {"channels": s[0], "image_size": s[1]}
            if len(s) == 3 and s[0] in (1, 3) and s[1] == s[2]
            else None
        ),
    )
)


# ---- CSV ----------------------------------------------------------------------------------------
def _csv(options: dict[str, Any], hint: TaskHint | None = None) -> RawData:
    # without a hint (the dataset preview builds with options alone) the column alone decides
    hint = hint or TaskHint()
    path, delimiter, target = options["path"], options["delimiter"], options["target"]
    if not isinstance(path, str) or not path:
        raise DatasetError("training.dataset_options.path: set it to the CSV file to train on")
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
        raise DatasetError(
            'training.dataset_options.delimiter: must be one character, e.g. "," or ";" or '
            f'"\\t" for tabs; got {delimiter!r}'
        )
    if not isinstance(target, str):
        raise DatasetError(
            "training.dataset_options.target: must be a column name (or empty for the last column)"
        )
    if options["task"] not in TASK_OPTIONS:
        raise DatasetError(
            "training.dataset_options.task: must be auto, classification or regression, got "
            f"{options['task']!r}"
        )
    try:
        table = read_table(path, delimiter, target, options["features"])
        read = read_target(
            table,
            options["task"],
            output_width=hint.output_width,
            loss=hint.loss,
            task=hint.task,
        )
    except CsvError as exc:
        raise DatasetError(str(exc)) from None
    shape = (len(table.feature_cols),)
    if read.task == "regression":
        info = DatasetInfo(
            "csv", "regression", shape, "float32", target_shape=(1,), notes=read.notes
        )
    else:
        classes = read.classes
        info = DatasetInfo(
            "csv", read.task, shape, "float32", len(classes), classes=classes, notes=read.notes
        )
    return RawData(TensorData(table.x, read.y), info)


register(
    DatasetSpec(
        "csv",
        "a CSV file: a header line, numeric feature columns and one target column (class names "
        "or numbers)",
        _csv,
        {"path": "", "features": [], "target": "", "task": "auto", "delimiter": ","},
        builtin=False,
        uses_task_hint=True,
    )
)
