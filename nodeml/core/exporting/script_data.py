"""The data half of an exported training script: the graph's dataset built from the options nodeml
reads, without nodeml -- built-in sets made by nodeml's own generators (their source copied in), a
CSV file, an image folder or a torchvision set read from where it lives."""

from __future__ import annotations

import inspect
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..graph import Graph
from ..training import synthetic
from ..training.config import TrainingConfig
from ..training.csv_table import CsvError, read_table
from ..training.csv_target import read_target
from ..training.data_paths import PATH_OPTIONS
from ..training.datasets import DatasetError, dataset_spec, resolve_options
from ..training.losses import LOSS_TASK, is_reconstruction, resolve_task
from ..training.task_hint import task_hint
from .report import ExportError

TORCHVISION_SETS = {"mnist": "MNIST", "fashion_mnist": "FashionMNIST", "cifar10": "CIFAR10"}
# the built-in sets: the generator(s) a script copies, and the call making the samples from
# the dataset options ``o`` (already checked by nodeml's own builder)
_GENERATED = {
    "linear1d": ([synthetic.linear_samples], "linear_samples(n, {w}, {noise}, gen)"),
    "linear3d": ([synthetic.linear_samples], "linear_samples(n, {w}, {noise}, gen)"),
    "spirals": ([synthetic.spiral_samples], "spiral_samples(n, {classes}, {noise}, gen)"),
    "moons": ([synthetic.moon_samples], "moon_samples(n, {noise}, gen)"),
    "shapes": (
        [synthetic._shape_masks, synthetic.draw_shapes],
        "draw_shapes(n, {image_size}, {channels}, gen)",
    ),
    "tokens": ([synthetic.token_samples], "token_samples(n, {length}, {vocab}, {classes}, gen)"),
}


@dataclass(frozen=True)
class ScriptData:
    """What the template gets for the dataset: the ``task`` trained, ``constants`` (name ->
    Python literal) written at the top, ``code`` defining ``load_samples(args)``, argparse
    ``flags`` saying where the data is, extra ``imports``, and ``describe`` for the docstring."""

    task: str
    constants: dict[str, str]
    code: str
    flags: str
    imports: str
    torchvision: bool
    describe: str


def script_data(
    config: TrainingConfig,
    graph: Graph,
    output_width: int | None,
    *,
    graph_dir: Path | None = None,
    script_dir: Path | None = None,
) -> ScriptData:
    """The data part of the script for ``config``; ``output_width`` is the trained Output's
    values per sample (None when not a flat vector). ``graph_dir`` is where relative data paths
    of the graph are read from, ``script_dir`` where the script goes (its paths are relative to
    it)."""
    name = config.dataset
    spec = dataset_spec(name)
    given = resolve_options(spec, config.dataset_options)
    options = {
        k: _relocated(v, graph_dir, script_dir) if k in PATH_OPTIONS else v
        for k, v in given.items()
    }
    if name in _GENERATED:
        return _generated(config, name, options)
    if name == "csv":
        return _csv(config, graph, options, output_width, _found(given["path"], graph_dir))
    if name == "image_folder":
        return _image_folder(config, options)
    if name in TORCHVISION_SETS:
        return _torchvision(config, name, options)
    raise ExportError(f"the training script cannot read dataset {name!r}")


def _found(value: Any, graph_dir: Path | None) -> Path | None:
    """The file a data path of the graph names, as nodeml finds it; None when it is not there."""
    if not isinstance(value, str) or not value:
        return None
    path = Path(os.path.expanduser(value))
    if not path.is_absolute() and graph_dir is not None and (graph_dir / path).exists():
        path = graph_dir / path
    return path if path.is_file() else None


def _relocated(value: Any, graph_dir: Path | None, script_dir: Path | None) -> Any:
    """A relative data path of the graph, relative to the script instead (when both are known
    and the file is there)."""
    if not isinstance(value, str) or not value or graph_dir is None or script_dir is None:
        return value
    path = Path(os.path.expanduser(value))
    if path.is_absolute() or not (graph_dir / path).exists():
        return value
    return os.path.relpath(graph_dir / path, script_dir)


def _constants(
    config: TrainingConfig, name: str, options: dict[str, Any], task: str, **more: Any
) -> dict[str, str]:
    out = {
        "DATASET": repr(name),
        "DATA_OPTIONS": repr(options),
        "TASK": repr(resolve_task(config, task)),
        "RECONSTRUCT": repr(is_reconstruction(config, task)),
    }
    out.update({key: repr(value) for key, value in more.items()})
    return out


def _generated(config: TrainingConfig, name: str, options: dict[str, Any]) -> ScriptData:
    spec = dataset_spec(name)
    try:  # nodeml's own checks of the options, on a few samples
        raw = spec.build({**options, "n": 10})
    except DatasetError as exc:
        raise ExportError(str(exc)) from None
    functions, call = _GENERATED[name]
    values = {**options, "w": synthetic.LINEAR_WEIGHTS.get(name)}
    call = call.format(**{k: repr(v) for k, v in values.items()})
    source = "\n\n".join(_clean_source(f) for f in functions)
    info = raw.info
    code = _GENERATED_LOADER.format(
        source=source, name=name, n=repr(options["n"]), seed=repr(options["seed"]), call=call
    )
    constants = _constants(config, name, options, info.task, CLASSES=list(info.classes) or None)
    describe = f'nodeml\'s built-in "{name}" set'
    task = resolve_task(config, info.task)
    return ScriptData(task, constants, _SAMPLES + code, "", "import math\n", False, describe)


def _clean_source(function: Any) -> str:
    """A generator's source as the script holds it (private names made public)."""
    return inspect.getsource(function).replace("_shape_masks", "shape_masks")


def _csv(
    config: TrainingConfig,
    graph: Graph,
    options: dict[str, Any],
    output_width: int | None,
    found: Path | None,
) -> ScriptData:
    path = options["path"]
    features, target, classes = list(options["features"]), options["target"], None
    if found is not None:
        # the task as nodeml settles it for this graph, from the file as it is now
        hint = task_hint(graph, config)
        try:
            table = read_table(str(found), options["delimiter"], target, features)
            read = read_target(
                table, options["task"], output_width=hint.output_width if hint else None,
                loss=config.loss, task=config.task,
            )  # fmt: skip
        except (CsvError, DatasetError) as exc:
            raise ExportError(f"the training section's CSV cannot be read: {exc}") from None
        task, classes = read.task, list(read.classes) or None
        features = [table.header[i] for i in table.feature_cols]
        target = table.header[table.target_col]
        settled = "the task and classes as nodeml read them from the file when this was exported"
    else:
        task = _csv_task_without_file(config, options, output_width)
        settled = (
            "the file was not there when this was exported: the task comes from the settings and "
            "the Output's width, the classes from the labels (numbers by value, then names)"
        )
    constants = _constants(
        config, "csv", options, task, CLASSES=classes,
        FEATURES=features, TARGET=target, DELIMITER=options["delimiter"],
    )  # fmt: skip
    flags = f'    p.add_argument("--path", default={repr(path)}, help="the CSV file")\n'
    code = _CSV_LOADER.replace("@SETTLED@", settled)
    imports = "import csv\nimport math\n"
    task = resolve_task(config, task)
    return ScriptData(task, constants, _SAMPLES + code, flags, imports, False, "a CSV file")


def _csv_task_without_file(
    config: TrainingConfig, options: dict[str, Any], output_width: int | None
) -> str:
    if options["task"] != "auto":
        return options["task"]
    if config.task is not None:
        return config.task
    if config.loss is not None:
        return LOSS_TASK[config.loss]
    return "regression" if output_width == 1 else "classification"


def _image_folder(config: TrainingConfig, options: dict[str, Any]) -> ScriptData:
    size, channels = options["image_size"], options["channels"]
    if not isinstance(size, int) or size < 4 or channels not in (1, 3):
        raise ExportError("training.dataset_options: image_size >= 4 and channels 1 or 3")
    constants = _constants(config, "image_folder", options, "classification")
    flags = (
        f'    p.add_argument("--root", default={repr(options["root"])}, '
        'help="the image folder: one sub-folder of images per class")\n'
    )
    task = resolve_task(config, "classification")
    return ScriptData(task, constants, _IMAGE_FOLDER_LOADER, flags, "", True, "an image folder")


def _torchvision(config: TrainingConfig, name: str, options: dict[str, Any]) -> ScriptData:
    constants = _constants(config, name, options, "classification")
    flags = (
        f'    p.add_argument("--root", default={repr(options["root"])}, '
        'help="where torchvision keeps the dataset")\n'
        f'    p.add_argument("--download", action="store_true", default={repr(options["download"])}, '
        'help="download it there first")\n'
    )
    cls = TORCHVISION_SETS[name]
    if name == "cifar10":
        images = "torch.from_numpy(train.data).permute(0, 3, 1, 2).contiguous()"
        labels = "torch.as_tensor(train.targets, dtype=torch.long)"
    else:
        images, labels = "train.data.unsqueeze(1)", "train.targets"
    code = _TORCHVISION_LOADER.format(cls=cls, images=images, labels=labels)
    task = resolve_task(config, "classification")
    return ScriptData(task, constants, _SAMPLES + code, flags, "", True, f"torchvision's {cls}")


# ---- the code the script holds ------------------------------------------------------------------
_SAMPLES = '''

class Samples(Dataset):
    """Samples held in memory: uint8 images become floats in [0, 1] (as torchvision's ToTensor
    makes them); any standardisation is the model's own."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.inputs([i])[0], self.y[i]

    def inputs(self, indices):
        """The inputs of several samples at once, as __getitem__ gives them."""
        x = self.x[torch.as_tensor(indices, dtype=torch.long)]
        return x.float().div_(255.0) if x.dtype == torch.uint8 else x
'''

_GENERATED_LOADER = '''

# nodeml's own generator, copied: the script makes the very samples nodeml trains on
{source}


def load_samples(args):
    """(samples, class names): nodeml's built-in "{name}" set, {n} samples from seed {seed}."""
    n, gen = {n}, torch.Generator().manual_seed({seed})
    x, y = {call}
    return Samples(x, y), CLASSES
'''

_CSV_LOADER = '''

def number_name(value):
    """The one spelling of a numeric label: 3, 3.0 and " 3 " are all class "3"."""
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def label_key(text):
    """nodeml's class order: numbers first, by value, then names in sorted order."""
    try:
        return (0, float(text), "")
    except ValueError:
        return (1, 0.0, text)


def read_csv(path):
    """(features, label texts): a header line naming the columns, then a row per sample; every
    feature cell a finite number, every label present. Blank lines are skipped."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [(line, row) for line, row in enumerate(csv.reader(f, delimiter=DELIMITER), 1)
                if any(cell.strip() for cell in row)]
    if not rows:
        raise SystemExit(f"{path} is empty; it needs a header line, then one line per sample")
    (_, header), rows = rows[0], rows[1:]
    header = [name.strip() for name in header]
    for name in [*FEATURES, TARGET]:
        if name not in header:
            raise SystemExit(f"{path} has no column {name!r}; its columns: {', '.join(header)}")
    cols, target = [header.index(name) for name in FEATURES], header.index(TARGET)
    xs, labels = [], []
    for line, row in rows:
        if len(row) != len(header):
            raise SystemExit(f"{path} line {line}: {len(row)} values, the header names {len(header)} columns")
        values = []
        for col in cols:
            try:
                value = float(row[col])
            except ValueError:
                value = math.nan
            if not math.isfinite(value) or abs(value) > 3.4e38:
                raise SystemExit(f"{path} line {line}, column {header[col]!r}: {row[col]!r} is not a number")
            values.append(value)
        label = row[target].strip()
        if not label:
            raise SystemExit(f"{path} line {line}, column {TARGET!r}: the label is missing")
        xs.append(values)
        labels.append(label)
    return torch.tensor(xs, dtype=torch.float32), labels


def load_samples(args):
    """(samples, class names): the CSV file, its target column read for TASK with @SETTLED@."""
    path = data_path(args.path)
    x, labels = read_csv(path)
    if TASK == "regression":
        try:
            y = torch.tensor([[float(t)] for t in labels], dtype=torch.float32)
        except ValueError:
            raise SystemExit(f"{path}: column {TARGET!r} holds texts; a regression needs numbers")
        classes = None
    else:
        names = []
        for text in labels:
            try:
                names.append(number_name(float(text)))
            except ValueError:
                names.append(text)
        classes = CLASSES or sorted(set(names), key=label_key)
        unknown = sorted(set(names) - set(classes))
        if unknown:
            raise SystemExit(f"{path}: labels {unknown} are not among the classes {classes}")
        index = {name: k for k, name in enumerate(classes)}
        y = torch.tensor([index[name] for name in names], dtype=torch.long)
    return Samples(x, y), classes
'''

_IMAGE_FOLDER_LOADER = '''

def to_rgb(image):
    return image.convert("RGB")  # a module-level function, so DataLoader workers can pickle it


def load_samples(args):
    """(samples, class names): one sub-folder per class, images resized as nodeml resizes them
    (read from disk as they are needed, by the DataLoader's workers)."""
    from torchvision import datasets, transforms

    size, channels = DATA_OPTIONS["image_size"], DATA_OPTIONS["channels"]
    mode = transforms.Grayscale(1) if channels == 1 else transforms.Lambda(to_rgb)
    steps = [mode, transforms.Resize((size, size)), transforms.ToTensor()]
    data = datasets.ImageFolder(data_path(args.root), transform=transforms.Compose(steps))
    return data, data.classes
'''

_TORCHVISION_LOADER = '''

def load_samples(args):
    """(samples, class names): torchvision's {cls} training images, held in memory."""
    from torchvision import datasets

    train = datasets.{cls}(data_path(args.root), train=True, download=args.download)
    return Samples({images}, {labels}), [str(c) for c in train.classes]
'''
