"""What each training setting is, as data: its label, help, group, range, step and choices.

Every field of ``TrainingConfig`` carries a :class:`SettingSpec` in its dataclass metadata. The
same spec checks a value (``TrainingConfig.validate``) and builds the setting's row in the app's
Training panel, so a range shown on screen is the range the check accepts.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any

SPEC = "nodeml.setting"  # the dataclass metadata key
WHOLE_LIMIT = 2**31 - 1  # what a spin box can hold; no setting needs more
NUMBER_LIMIT = 1e9


class Kind(Enum):
    """How a value is written and edited."""

    NUMBER = "number"  # a float
    WHOLE = "whole"  # an int
    BOOL = "bool"
    CHOICE = "choice"  # one of ``choices``
    DATASET = "dataset"  # a dataset's name (the registry lists them)
    OPTIONS = "options"  # the chosen dataset's own options
    PAIR = "pair"  # two numbers in the same range (Adam's betas)
    OUTPUT = "output"  # the id of one of the graph's Output nodes


class Group(StrEnum):
    """Where a setting sits in the Training panel, in this order."""

    DATA = "Data"
    LOSS = "Loss"
    OPTIMIZER = "Optimizer"
    SCHEDULE = "Learning-rate schedule"
    RUN = "Run"
    ADVANCED = "Advanced"


@dataclass(frozen=True)
class SettingSpec:
    """One setting. Numbers: ``low``/``high`` bound it (``open_*``: the bound itself is out),
    shown with ``decimals``, the arrows moving by ``step`` (``log_scale``: doubling and halving).
    ``none_label`` makes the setting nullable and says what null means ("random", "off").
    ``when`` lists the settings it depends on: it matters only while each has one of the values
    given (momentum only for SGD and RMSprop)."""

    label: str
    help: str
    group: Group
    kind: Kind
    low: float | None = None
    high: float | None = None
    open_low: bool = False
    open_high: bool = False
    step: float = 1.0
    decimals: int = 0
    log_scale: bool = False
    choices: tuple[tuple[Any, str], ...] = ()
    none_label: str | None = None
    example: str = ""
    when: tuple[tuple[str, tuple[Any, ...]], ...] = ()

    @property
    def nullable(self) -> bool:
        return self.none_label is not None

    def applies(self, values: Mapping[str, Any]) -> bool:
        """Does the setting matter with these other settings (see ``when``)?"""
        return all(values.get(name) in allowed for name, allowed in self.when)

    # ---- ranges ------------------------------------------------------------------------------
    def in_range(self, value: float) -> bool:
        low_ok = self.low is None or (value > self.low if self.open_low else value >= self.low)
        high_ok = self.high is None or (value < self.high if self.open_high else value <= self.high)
        return low_ok and high_ok

    def range_text(self) -> str:
        """``> 0``, ``>= 0 and < 1``: as the checks' messages say it."""
        parts = []
        if self.low is not None:
            parts.append(f"{'>' if self.open_low else '>='} {self.low:g}")
        if self.high is not None:
            parts.append(f"{'<' if self.open_high else '<='} {self.high:g}")
        return " and ".join(parts)

    @property
    def quantum(self) -> float:
        """The smallest change an editor can make: 1 for whole numbers, 10^-decimals else."""
        return 1.0 if self.kind is Kind.WHOLE else 10.0**-self.decimals

    def editor_range(self) -> tuple[float, float]:
        """The widest closed range an editor with ``decimals`` can show inside the valid range:
        an open bound moves in by one quantum; a missing one is the editor's own limit."""
        limit = WHOLE_LIMIT if self.kind is Kind.WHOLE else NUMBER_LIMIT
        q = self.quantum
        low = -limit if self.low is None else self.low + (q if self.open_low else 0.0)
        high = limit if self.high is None else self.high - (q if self.open_high else 0.0)
        return low, high

    # ---- checks ------------------------------------------------------------------------------
    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not acceptable (the message after ``training.<name>: ``), or None."""
        if value is None and self.nullable:
            return None
        if self.kind is Kind.NUMBER:
            if is_number(value) and math.isfinite(value) and self.in_range(value):
                return None
            null = " (or null for none)" if self.nullable else ""
            return f"must be a number {self.range_text()}{null}, e.g. {self.example}; got {value!r}"
        if self.kind is Kind.WHOLE:
            if isinstance(value, int) and not isinstance(value, bool) and self.in_range(value):
                return None
            null = " (or null)" if self.nullable else ""
            return (
                f"must be a whole number {self.range_text()}{null}, e.g. {self.example}; "
                f"got {value!r}"
            )
        if self.kind is Kind.BOOL:
            return None if isinstance(value, bool) else f"must be true or false, got {value!r}"
        if self.kind is Kind.PAIR:
            if (
                isinstance(value, tuple | list)
                and len(value) == 2
                and all(is_number(v) and self.in_range(v) for v in value)
            ):
                return None
            close = ")" if self.open_high else "]"
            shown = f"[{self.low:g}, {self.high:g}{close}"
            return f"must be two numbers in {shown}, e.g. {self.example}; got {value!r}"
        if self.kind is Kind.CHOICE:
            allowed = [v for v, _ in self.choices]
            if value in allowed:
                return None
            names = ", ".join(str(v) for v in allowed if v is not None)
            null = " (or null to infer it)" if self.nullable else ""
            return f"must be one of {names}{null}, got {value!r}"
        return None


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def setting(default: Any = dataclasses.MISSING, *, factory: Any = None, **spec: Any) -> Any:
    """A dataclass field whose metadata holds its SettingSpec."""
    metadata = {SPEC: SettingSpec(**spec)}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def setting_specs(cls: type) -> dict[str, SettingSpec]:
    """Every field's spec, in the dataclass's field order."""
    return {f.name: f.metadata[SPEC] for f in dataclasses.fields(cls)}
