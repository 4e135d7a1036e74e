"""TrainingConfig: every training setting, read from and written to a graph file's "training" section."""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from typing import Any

from ..errors import TrainingError
from .setting_spec import Group, Kind, setting, setting_specs


class ConfigError(TrainingError):
    """A training setting is missing, of the wrong type or out of range; ``field`` names it."""

    def __init__(self, field_name: str, message: str):
        self.field = field_name
        where = f"training.{field_name}" if field_name else "training"
        super().__init__(f"{where}: {message}")


def _canon(name: str) -> str:
    """Spelling-insensitive key: ``CrossEntropyLoss``, ``cross_entropy`` and ``crossentropy`` match."""
    key = name.lower().replace("_", "").replace("-", "").replace(" ", "")
    return key.removesuffix("loss") if key not in ("loss",) else key


# canonical name -> accepted spellings (after _canon); the first column is what to_dict writes
LOSS_NAMES = {
    "mse": ("mse",),
    "l1": ("l1", "mae"),
    "smooth_l1": ("smoothl1",),
    "huber": ("huber",),
    "cross_entropy": ("crossentropy", "ce"),
    "nll": ("nll",),
    "bce": ("bce",),
    "bce_with_logits": ("bcewithlogits",),
}
OPTIMIZER_NAMES = {
    "sgd": ("sgd",),
    "adam": ("adam",),
    "adamw": ("adamw",),
    "rmsprop": ("rmsprop",),
    "adagrad": ("adagrad",),
}
SCHEDULER_NAMES = {
    "none": ("none", "constant", ""),
    "step": ("step", "steplr"),
    "cosine": ("cosine", "cosineannealinglr", "cosineannealing"),
    "onecycle": ("onecycle", "onecyclelr"),
    "plateau": ("plateau", "reducelronplateau"),
}
TASKS = ("classification", "binary", "regression")
DEVICES = ("auto", "cpu", "cuda", "mps")


def canonical(kind: str, value: Any, names: dict[str, tuple[str, ...]]) -> str:
    """The canonical spelling of ``value`` among ``names``, else a ConfigError listing them."""
    if isinstance(value, str):
        key = _canon(value)
        for canon, spellings in names.items():
            if key == _canon(canon) or key in spellings:
                return canon
    raise ConfigError(kind, f"unknown {kind} {value!r}; choose one of {', '.join(names)}")


LOSS_LABELS = {
    "mse": "MSE",
    "l1": "L1 (MAE)",
    "smooth_l1": "Smooth L1",
    "huber": "Huber",
    "cross_entropy": "Cross-entropy",
    "nll": "NLL",
    "bce": "BCE",
    "bce_with_logits": "BCE with logits",
}
OPTIMIZER_LABELS = {
    "sgd": "SGD",
    "adam": "Adam",
    "adamw": "AdamW",
    "rmsprop": "RMSprop",
    "adagrad": "Adagrad",
}
SCHEDULER_LABELS = {
    "none": "Constant",
    "step": "Step decay",
    "cosine": "Cosine annealing",
    "onecycle": "One-cycle",
    "plateau": "Reduce on plateau",
}
DEVICE_LABELS = {"auto": "Auto", "cpu": "CPU", "cuda": "CUDA", "mps": "Apple MPS"}
_NOT_SGD = ("adam", "adamw", "rmsprop", "adagrad")

NUMBER, WHOLE, BOOL, CHOICE = Kind.NUMBER, Kind.WHOLE, Kind.BOOL, Kind.CHOICE


@dataclass
class TrainingConfig:
    """What to train on and how. Defaults train a small model sensibly on a built-in dataset.

    ``loss=None`` and ``task=None`` mean "infer from the dataset"; ``normalize=None`` means
    the dataset's own recommendation (images: yes, the linear sets: no, so w and b stay readable);
    the model standardises its input itself, with buffers fitted on the training split.
    ``output`` names the Output node the loss trains; needed when the graph has several.
    Each field's SettingSpec (its metadata) says its label, help, range and choices: the checks
    below and the app's Training panel both read it.
    """

    # fmt: off
    dataset: str = setting(
        "linear1d", label="Dataset", group=Group.DATA, kind=Kind.DATASET, example='"spirals"',
        help="What to train on: a built-in set, an image folder, a CSV file or a torchvision set",
    )
    dataset_options: dict[str, Any] = setting(
        factory=dict, label="Dataset options", group=Group.DATA, kind=Kind.OPTIONS,
        help="The chosen dataset's own options (size, noise, path, columns...)",
    )
    task: str | None = setting(
        None, label="Task", group=Group.LOSS, kind=CHOICE, none_label="Auto (from dataset)",
        choices=((None, "Auto (from dataset)"), *((t, t.capitalize()) for t in TASKS)),
        help="Classification, binary or regression; auto follows the dataset's targets",
    )
    loss: str | None = setting(
        None, label="Loss", group=Group.LOSS, kind=CHOICE, none_label="Auto (from task)",
        choices=((None, "Auto (from task)"), *LOSS_LABELS.items()),
        help="What training minimises; auto picks cross-entropy, BCE with logits or MSE",
    )
    label_smoothing: float = setting(
        0.0, label="Label smoothing", group=Group.LOSS, kind=NUMBER, low=0.0, high=1.0,
        open_high=True, decimals=2, step=0.05, example="0.1",
        when=(("loss", (None, "cross_entropy")),),
        help="Cross-entropy only: the share of the target spread over the other classes",
    )
    huber_delta: float = setting(
        1.0, label="Huber delta", group=Group.LOSS, kind=NUMBER, low=0.0, open_low=True, decimals=3,
        step=0.1, example="1.0", when=(("loss", ("huber", "smooth_l1")),),
        help="Where the Huber / Smooth L1 loss turns from squared to linear",
    )
    optimizer: str = setting(
        "adam", label="Optimizer", group=Group.OPTIMIZER, kind=CHOICE,
        choices=tuple(OPTIMIZER_LABELS.items()),
        help="How the weights are updated from their gradients",
    )
    lr: float = setting(
        1e-3, label="Learning rate", group=Group.OPTIMIZER, kind=NUMBER, low=0.0, open_low=True,
        decimals=12, log_scale=True, example="0.001",
        help="The step size of each update; the arrows double or halve it",
    )
    momentum: float = setting(
        0.0, label="Momentum", group=Group.OPTIMIZER, kind=NUMBER, low=0.0, high=1.0,
        open_high=True, decimals=3, step=0.05, example="0.9",
        when=(("optimizer", ("sgd", "rmsprop")),),
        help="SGD and RMSprop: how much of the previous update carries into the next",
    )
    nesterov: bool = setting(
        False, label="Nesterov momentum", group=Group.OPTIMIZER, kind=BOOL,
        when=(("optimizer", ("sgd",)),),
        help="SGD with momentum > 0: look ahead along the momentum before the gradient",
    )
    weight_decay: float = setting(
        0.0, label="Weight decay", group=Group.OPTIMIZER, kind=NUMBER, low=0.0, decimals=6,
        step=1e-4, example="0.0001", help="L2 penalty on the weights (AdamW: decoupled decay)",
    )
    betas: tuple[float, float] = setting(
        (0.9, 0.999), label="Betas", group=Group.ADVANCED, kind=Kind.PAIR, low=0.0, high=1.0,
        open_high=True, decimals=4, step=0.001, example="[0.9, 0.999]",
        when=(("optimizer", ("adam", "adamw")),),
        help="Adam and AdamW: decay rates of the gradient's running mean and square",
    )
    eps: float = setting(
        1e-8, label="Epsilon", group=Group.ADVANCED, kind=NUMBER, low=0.0, open_low=True,
        decimals=12, log_scale=True, example="1e-8", when=(("optimizer", _NOT_SGD),),
        help="Added to the denominator of adaptive optimizers, for stability",
    )
    alpha: float = setting(
        0.99, label="Alpha", group=Group.ADVANCED, kind=NUMBER, low=0.0, high=1.0, decimals=3,
        step=0.01, example="0.99", when=(("optimizer", ("rmsprop",)),),
        help="RMSprop: decay rate of the running mean of squared gradients",
    )
    scheduler: str = setting(
        "none", label="Schedule", group=Group.SCHEDULE, kind=CHOICE,
        choices=tuple(SCHEDULER_LABELS.items()),
        help="How the learning rate changes while training",
    )
    step_size: int | None = setting(
        None, label="Step every", group=Group.SCHEDULE, kind=WHOLE, low=1,
        none_label="a third of the epochs", example="5", when=(("scheduler", ("step",)),),
        help="Step decay: epochs between two multiplications by gamma",
    )
    gamma: float = setting(
        0.1, label="Gamma", group=Group.SCHEDULE, kind=NUMBER, low=0.0, high=1.0, open_low=True,
        decimals=3, step=0.05, example="0.1", when=(("scheduler", ("step",)),),
        help="Step decay: the factor the learning rate is multiplied by at each step",
    )
    t_max: int | None = setting(
        None, label="Period (epochs)", group=Group.SCHEDULE, kind=WHOLE, low=1,
        none_label="all epochs", example="10", when=(("scheduler", ("cosine",)),),
        help="Cosine annealing: epochs from the full learning rate down to zero",
    )
    max_lr: float | None = setting(
        None, label="Peak learning rate", group=Group.SCHEDULE, kind=NUMBER, low=0.0, open_low=True,
        decimals=12, log_scale=True, none_label="the learning rate", example="0.01",
        when=(("scheduler", ("onecycle",)),),
        help="One-cycle: the highest learning rate, reached about a third of the way in",
    )
    patience: int = setting(
        2, label="Patience", group=Group.SCHEDULE, kind=WHOLE, low=0, example="2",
        when=(("scheduler", ("plateau",)),),
        help="Reduce on plateau: epochs without improvement before the rate drops",
    )
    factor: float = setting(
        0.1, label="Factor", group=Group.SCHEDULE, kind=NUMBER, low=0.0, high=1.0, open_low=True,
        open_high=True, decimals=3, step=0.05, example="0.1", when=(("scheduler", ("plateau",)),),
        help="Reduce on plateau: the factor the learning rate is multiplied by",
    )
    epochs: int = setting(
        10, label="Epochs", group=Group.RUN, kind=WHOLE, low=1, example="10",
        help="Passes over the training data (when resuming: the total, not the extra)",
    )
    batch_size: int = setting(
        32, label="Batch size", group=Group.DATA, kind=WHOLE, low=1, example="32",
        help="Samples per update",
    )
    val_split: float = setting(
        0.2, label="Validation split", group=Group.DATA, kind=NUMBER, low=0.0, high=1.0,
        open_high=True, decimals=2, step=0.05, example="0.2",
        help="The share of the data held out to validate each epoch (0: none)",
    )
    shuffle: bool = setting(
        True, label="Shuffle each epoch", group=Group.DATA, kind=BOOL,
        help="Visit the training samples in a new order every epoch",
    )
    normalize: bool | None = setting(
        None, label="Standardise inputs", group=Group.DATA, kind=CHOICE,
        none_label="dataset's default",
        choices=((None, "Dataset's default"), (True, "Yes"), (False, "No")),
        help="Scale inputs to mean 0, std 1 per feature (images: yes; the linear sets: no)",
    )
    output: str | None = setting(
        None, label="Trained output", group=Group.LOSS, kind=Kind.OUTPUT,
        none_label="the graph's only Output", example='"out"',
        help="The Output node the loss trains; needed when the graph has several",
    )
    device: str = setting(
        "auto", label="Device", group=Group.RUN, kind=CHOICE, choices=tuple(DEVICE_LABELS.items()),
        help="Where to train; auto takes a GPU when there is one",
    )
    amp: bool = setting(
        False, label="Mixed precision (CUDA)", group=Group.RUN, kind=BOOL,
        when=(("device", ("auto", "cuda")),),
        help="float16 where it is safe, on a CUDA GPU; elsewhere full precision (said in the run)",
    )
    grad_clip: float | None = setting(
        None, label="Gradient clip", group=Group.RUN, kind=NUMBER, low=0.0, open_low=True,
        decimals=2, step=0.5, none_label="off", example="1.0",
        help="Rescale the gradients when their norm is above this",
    )
    seed: int | None = setting(
        0, label="Seed", group=Group.RUN, kind=WHOLE, low=0, none_label="random", example="0",
        help="Fixes the initial weights, the split and the shuffle order (random: new each run)",
    )
    num_workers: int = setting(
        0, label="Loader workers", group=Group.ADVANCED, kind=WHOLE, low=0, example="0",
        help="Processes reading the data (0: in the training process; in-memory sets need none)",
    )
    log_every: int = setting(
        1, label="Report every (batches)", group=Group.ADVANCED, kind=WHOLE, low=1, example="1",
        help="Batches per point of the per-step loss curve",
    )
    # fmt: on

    def __post_init__(self) -> None:
        self.validate()

    # ---- (de)serialisation -----------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Any) -> TrainingConfig:
        """Read a graph file's ``training`` section; unknown keys are refused with a suggestion."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise ConfigError("", "the training section must be a JSON object of settings")
        names = [f.name for f in dataclasses.fields(cls)]
        for key in data:
            if key not in names:
                close = difflib.get_close_matches(str(key), names, n=1)
                hint = (
                    f"; did you mean {close[0]!r}?"
                    if close
                    else f"; known settings: {', '.join(names)}"
                )
                raise ConfigError(str(key), f"is not a training setting{hint}")
        values = dict(data)
        if isinstance(values.get("betas"), list):
            values["betas"] = tuple(values["betas"])
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data; only settings that differ from the defaults, so files stay short."""
        default = TrainingConfig()
        out: dict[str, Any] = {"dataset": self.dataset}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name != "dataset" and value != getattr(default, f.name):
                out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    def replace(self, **changes: Any) -> TrainingConfig:
        """A copy with ``changes`` applied (None values are ignored: an unset CLI flag)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    # ---- checking ------------------------------------------------------------------------------
    def validate(self) -> None:
        """Raise ConfigError for the first bad setting, saying how to fix it; canonicalise names."""
        if not isinstance(self.dataset, str) or not self.dataset:
            raise ConfigError("dataset", 'must name a dataset, e.g. "spirals" or "mnist"')
        if not isinstance(self.dataset_options, dict):
            raise ConfigError("dataset_options", "must be an object of option: value")
        if self.task is not None and self.task not in TASKS:
            raise ConfigError("task", f"must be one of {', '.join(TASKS)} (or null to infer it)")
        if self.loss is not None:
            self.loss = canonical("loss", self.loss, LOSS_NAMES)
        self.optimizer = canonical("optimizer", self.optimizer, OPTIMIZER_NAMES)
        self.scheduler = canonical("scheduler", self.scheduler, SCHEDULER_NAMES)
        if self.device not in DEVICES:
            raise ConfigError("device", f"must be one of {', '.join(DEVICES)}, got {self.device!r}")

        specs = setting_specs(TrainingConfig)
        for name, spec in specs.items():
            if spec.kind in (Kind.NUMBER, Kind.WHOLE, Kind.BOOL, Kind.PAIR):
                why = spec.problem(getattr(self, name))
                if why:
                    raise ConfigError(name, why)
        for name, spec in specs.items():  # stored as floats, so files and checkpoints agree
            value = getattr(self, name)
            if spec.kind is Kind.NUMBER and value is not None:
                setattr(self, name, float(value))
        self.betas = (float(self.betas[0]), float(self.betas[1]))
        if self.normalize is not None and not isinstance(self.normalize, bool):
            raise ConfigError("normalize", "must be true, false or null (the dataset's default)")
        if self.output is not None and (not isinstance(self.output, str) or not self.output):
            raise ConfigError("output", "must name an Output node of the graph (or be null)")
        if self.nesterov and (self.optimizer != "sgd" or self.momentum <= 0):
            raise ConfigError(
                "nesterov", 'needs optimizer "sgd" with momentum > 0, e.g. momentum 0.9'
            )
