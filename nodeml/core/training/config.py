"""TrainingConfig: every training setting, read from and written to a graph file's "training" section."""

from __future__ import annotations

import dataclasses
import difflib
import math
from dataclasses import dataclass, field
from typing import Any

from ..errors import TrainingError


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


@dataclass
class TrainingConfig:
    """What to train on and how. Defaults train a small model sensibly on a built-in dataset.

    ``loss=None`` and ``task=None`` mean "infer from the dataset"; ``normalize=None`` means
    the dataset's own recommendation (images: yes, the linear sets: no, so w and b stay readable);
    the model standardises its input itself, with buffers fitted on the training split.
    ``output`` names the Output node the loss trains; needed when the graph has several.
    """

    dataset: str = "linear1d"
    dataset_options: dict[str, Any] = field(default_factory=dict)
    task: str | None = None
    loss: str | None = None
    label_smoothing: float = 0.0
    huber_delta: float = 1.0
    optimizer: str = "adam"
    lr: float = 1e-3
    momentum: float = 0.0
    nesterov: bool = False
    weight_decay: float = 0.0
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    alpha: float = 0.99
    scheduler: str = "none"
    step_size: int | None = None
    gamma: float = 0.1
    t_max: int | None = None
    max_lr: float | None = None
    patience: int = 2
    factor: float = 0.1
    epochs: int = 10
    batch_size: int = 32
    val_split: float = 0.2
    shuffle: bool = True
    normalize: bool | None = None
    output: str | None = None
    device: str = "auto"
    amp: bool = False
    grad_clip: float | None = None
    seed: int | None = 0
    num_workers: int = 0
    log_every: int = 1

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

        _number(self, "lr", low=0.0, open_low=True, example="0.001")
        _number(self, "label_smoothing", low=0.0, high=1.0, open_high=True, example="0.1")
        _number(self, "huber_delta", low=0.0, open_low=True, example="1.0")
        _number(self, "momentum", low=0.0, high=1.0, open_high=True, example="0.9")
        _number(self, "weight_decay", low=0.0, example="0.0001")
        _number(self, "eps", low=0.0, open_low=True, example="1e-8")
        _number(self, "alpha", low=0.0, high=1.0, example="0.99")
        _number(self, "gamma", low=0.0, high=1.0, open_low=True, example="0.1")
        _number(self, "factor", low=0.0, high=1.0, open_low=True, open_high=True, example="0.1")
        _number(self, "val_split", low=0.0, high=1.0, open_high=True, example="0.2")
        _number(self, "grad_clip", low=0.0, open_low=True, nullable=True, example="1.0")
        _number(self, "max_lr", low=0.0, open_low=True, nullable=True, example="0.01")
        if (
            not isinstance(self.betas, tuple | list)
            or len(self.betas) != 2
            or not all(_is_num(b) and 0 <= b < 1 for b in self.betas)
        ):
            raise ConfigError(
                "betas", f"must be two numbers in [0, 1), e.g. [0.9, 0.999]; got {self.betas!r}"
            )
        self.betas = (float(self.betas[0]), float(self.betas[1]))

        _whole(self, "epochs", low=1, example="10")
        _whole(self, "batch_size", low=1, example="32")
        _whole(self, "num_workers", low=0, example="0")
        _whole(self, "log_every", low=1, example="1")
        _whole(self, "patience", low=0, example="2")
        _whole(self, "step_size", low=1, nullable=True, example="5")
        _whole(self, "t_max", low=1, nullable=True, example="10")
        _whole(self, "seed", low=0, nullable=True, example="0")
        for name in ("nesterov", "shuffle", "amp"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(name, f"must be true or false, got {getattr(self, name)!r}")
        if self.normalize is not None and not isinstance(self.normalize, bool):
            raise ConfigError("normalize", "must be true, false or null (the dataset's default)")
        if self.output is not None and (not isinstance(self.output, str) or not self.output):
            raise ConfigError("output", "must name an Output node of the graph (or be null)")
        if self.nesterov and (self.optimizer != "sgd" or self.momentum <= 0):
            raise ConfigError(
                "nesterov", 'needs optimizer "sgd" with momentum > 0, e.g. momentum 0.9'
            )


def _is_num(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number(
    cfg: TrainingConfig,
    name: str,
    *,
    low: float,
    high: float | None = None,
    open_low: bool = False,
    open_high: bool = False,
    nullable: bool = False,
    example: str,
) -> None:
    value = getattr(cfg, name)
    if value is None and nullable:
        return
    ok = _is_num(value) and math.isfinite(value)
    if ok:
        ok = (value > low if open_low else value >= low) and (
            high is None or (value < high if open_high else value <= high)
        )
    if not ok:
        lo = f"{'>' if open_low else '>='} {low:g}"
        hi = "" if high is None else f" and {'<' if open_high else '<='} {high:g}"
        null = " (or null for none)" if nullable else ""
        raise ConfigError(name, f"must be a number {lo}{hi}{null}, e.g. {example}; got {value!r}")
    setattr(cfg, name, float(value))


def _whole(
    cfg: TrainingConfig, name: str, *, low: int, nullable: bool = False, example: str
) -> None:
    value = getattr(cfg, name)
    if value is None and nullable:
        return
    if not (isinstance(value, int) and not isinstance(value, bool) and value >= low):
        null = " (or null)" if nullable else ""
        raise ConfigError(
            name, f"must be a whole number >= {low}{null}, e.g. {example}; got {value!r}"
        )
