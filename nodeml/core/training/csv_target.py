"""A CSV's target column read as class labels or as numbers to predict; the task chosen from the
column, the ``task`` option and the graph, as docs/datasets.md describes."""

from __future__ import annotations

import difflib
import math
from collections import Counter
from dataclasses import dataclass

import torch

from .csv_table import CsvError, CsvTable, cell_problem
from .losses import LOSS_TASK

# whole-number labels and no graph Output to go by: up to this many distinct values are classes
GUESSED_CLASSES_MAX = 20
TASK_OPTIONS = ("auto", "classification", "regression")
_CLASSIFIERS = ("classification", "binary")
_SET_TASK = "training.dataset_options.task"


@dataclass(frozen=True)
class Target:
    """The target column read: ``task`` is "classification", "binary" or "regression"; ``y`` holds
    class indexes (long, into ``classes``) or numbers (float32, shaped (N, 1))."""

    task: str
    y: torch.Tensor
    classes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def number_name(value: float) -> str:
    """The one spelling of a numeric label: ``3``, ``3.0`` and `` 3 `` are all class ``"3"``."""
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def read_target(
    table: CsvTable,
    task_option: str,
    *,
    output_width: int | None = None,
    loss: str | None = None,
    task: str | None = None,
) -> Target:
    """Read the table's target column. Blank, missing and non-finite labels are refused; so is
    a text among numbers, and (task auto) a name seen once that looks like a typo of a common one.
    ``output_width``, ``loss`` and ``task`` are what the graph and training section imply (see
    datasets.TaskHint); they settle a column that allows both tasks."""
    col, texts, n_features = table.target_col, table.labels, len(table.feature_cols)
    first = {}  # text -> the first row holding it, for messages
    for i, text in enumerate(texts):
        first.setdefault(text, i)
    values: dict[str, float | None] = {}
    for text, i in first.items():
        try:
            value = float(text)
        except ValueError:
            value = None
        if not text or (value is not None and not math.isfinite(value)):
            raise CsvError(cell_problem(table.where(i, col), text, target=True))
        values[text] = value
    names = [t for t, v in values.items() if v is None]
    kind = _kind(table, col, texts, values, names, first, task_option)
    column = table.header[col]
    canon = {t: (t if v is None else number_name(v)) for t, v in values.items()}
    distinct = sorted(set(canon.values()), key=_class_order(values, canon))
    implied = _implied(loss, task)
    chosen, note = _choose(
        kind, task_option, distinct, implied, output_width, n_features, column, values
    )
    notes = (note,) if note else ()
    if chosen == "regression":
        return Target(chosen, _numbers(table, col, texts, values), notes=notes)
    if len(distinct) < 2:
        raise CsvError(
            f"{table.path} lines {table.lines[0]} to {table.lines[-1]}, column {column!r}: every "
            f"label is {distinct[0]!r}, so there is nothing to tell apart; choose another target "
            "column"
        )
    if kind == "names" and task_option == "auto":
        _refuse_typos(table, col, texts, canon, first)
    index = {name: k for k, name in enumerate(distinct)}
    y = torch.tensor([index[canon[t]] for t in texts], dtype=torch.long)
    return Target(chosen, y, tuple(distinct), notes)


def _kind(
    table: CsvTable,
    col: int,
    texts: list[str],
    values: dict[str, float | None],
    names: list[str],
    first: dict[str, int],
    task_option: str,
) -> str:
    """The labels' kind: "names" (some label is not a number), "whole" or "fractional" numbers."""
    if not names:
        whole = all(v is not None and v.is_integer() for v in values.values())
        return "whole" if whole else "fractional"
    if task_option == "classification":
        return "names"
    row = min(first[t] for t in names)
    if task_option == "regression":
        raise CsvError(cell_problem(table.where(row, col), texts[row], target=True))
    numeric_rows = sum(1 for t in texts if values[t] is not None)
    if numeric_rows * 2 > len(texts):
        raise CsvError(
            f"{table.where(row, col)} holds {texts[row]!r}, but {numeric_rows} of the column's "
            f"{len(texts)} labels are numbers; fix the cell (a typo or a missing value?), or set "
            f'{_SET_TASK} to "classification" to make every distinct text a class'
        )
    return "names"


def _class_order(values: dict[str, float | None], canon: dict[str, str]):
    """Numbers first, by value, then names in sorted order."""
    number_of = {canon[t]: v for t, v in values.items() if v is not None}

    def key(name: str) -> tuple[int, float, str]:
        v = number_of.get(name)
        return (0, v, "") if v is not None else (1, 0.0, name)

    return key


def _implied(loss: str | None, task: str | None) -> tuple[str | None, str]:
    """The task the training section asks for, and the setting that asks (for messages)."""
    if task is not None:
        return task, f"training.task {task}"
    if loss is not None:
        return LOSS_TASK[loss], f"training.loss {loss}"
    return None, ""


def _choose(
    kind: str,
    option: str,
    classes: list[str],
    implied_by: tuple[str | None, str],
    width: int | None,
    n_features: int,
    column: str,
    values: dict[str, float | None],
) -> tuple[str, str | None]:
    """The task and, where the choice was not forced, a note saying how it was made."""
    implied, setting = implied_by
    k = len(classes)
    if option == "regression" or (option == "auto" and kind == "fractional"):
        if implied in _CLASSIFIERS:
            if option == "regression":
                why = f'{_SET_TASK} is "regression"'
            else:
                example = next(t for t, v in values.items() if v is not None and not v.is_integer())
                why = f"column {column!r} holds fractional numbers (e.g. {example}), read as a number to predict"
            raise CsvError(
                f"{why}, but {setting} trains a classifier; set {_SET_TASK} to "
                '"classification" to make each distinct value a class, or use a regression loss '
                "(mse, l1, huber)"
            )
        return "regression", None
    if option == "auto" and kind == "whole" and implied not in _CLASSIFIERS:
        return _choose_whole(classes, implied, setting, width, n_features, column, values)
    return _classify(kind, option, classes, implied, setting, width, n_features, column, k)


def _classify(
    kind: str,
    option: str,
    classes: list[str],
    implied: str | None,
    setting: str,
    width: int | None,
    n_features: int,
    column: str,
    k: int,
) -> tuple[str, str | None]:
    if implied == "regression":
        if width is None or width == n_features:
            return "classification", _autoencoder_note(setting)
        if option == "classification":
            why = f'{_SET_TASK} is "classification", but {setting} is a regression loss'
            fix = f'set {_SET_TASK} to "regression" or "auto", or use cross_entropy'
        else:
            shown = ", ".join(repr(c) for c in classes[:3])
            why = f"column {column!r} holds class names ({shown}, ...), which {setting} cannot fit"
            fix = (
                "use cross_entropy (or leave training.loss unset), or choose a numeric target "
                "column with training.dataset_options.target"
            )
        raise CsvError(f"{why}; {fix}")
    if implied == "binary":
        if k != 2:
            raise CsvError(
                f"{setting} trains a two-class (binary) model, but column {column!r} holds {k} "
                f"classes; use cross_entropy with an Output of {k} values"
            )
        return "binary", None
    if implied is None and width == 1 and k == 2:
        return "binary", (
            f"column {column!r} has two classes ({classes[0]}, {classes[1]}) and the Output gives "
            "one value: training a binary classifier (loss bce_with_logits, output > 0 means "
            f"{classes[1]})"
        )
    return "classification", None


def _choose_whole(
    classes: list[str],
    implied: str | None,
    setting: str,
    width: int | None,
    n_features: int,
    column: str,
    values: dict[str, float | None],
) -> tuple[str, str | None]:
    """Whole-number labels, task auto, no classifier asked for: the graph decides."""
    k = len(classes)
    numbers = [v for v in values.values() if v is not None]
    span = f"{number_name(min(numbers))}..{number_name(max(numbers))}"
    as_classes = (
        f"column {column!r} holds whole numbers ({span}): read as {k} classes since {{why}}; set "
        f'{_SET_TASK} to "regression" to predict the number instead'
    )
    as_number = (
        f"column {column!r} holds whole numbers ({span}, {k} distinct): read as a number to "
        f'predict since {{why}}; set {_SET_TASK} to "classification" to make each value a class'
    )
    if implied == "regression":
        if width is not None and width != 1 and width == n_features:
            return "classification", _autoencoder_note(setting)
        return "regression", as_number.format(why=f"{setting} is a regression loss")
    if width is None:
        why = f"the graph has no single Output to go by and there are {k} distinct values"
        if k <= GUESSED_CLASSES_MAX:
            return "classification", as_classes.format(
                why=why + f" (at most {GUESSED_CLASSES_MAX})"
            )
        return "regression", as_number.format(why=why + f" (over {GUESSED_CLASSES_MAX})")
    if width == 1:
        if k == 2:
            return "binary", (
                f"column {column!r} holds two whole numbers ({classes[0]}, {classes[1]}) and the "
                "Output gives one value: training a binary classifier (loss bce_with_logits); set "
                f'{_SET_TASK} to "regression" to fit the numbers instead'
            )
        return "regression", as_number.format(why="the Output gives one value per sample")
    if width >= k:
        return "classification", as_classes.format(
            why=f"the Output gives {width} values per sample"
        )
    raise CsvError(
        f"column {column!r} holds {k} distinct whole numbers ({span}) but the graph's Output gives "
        f"{width} values per sample, which fits neither reading: for {k} classes make the last "
        f"layer give {k} values (out_features={k}); to predict the number make it give 1 and set "
        f'{_SET_TASK} to "regression"'
    )


def _autoencoder_note(setting: str) -> str:
    return (
        f"{setting} is a regression loss and the target column holds labels: the model learns to "
        "reproduce its input features (an autoencoder); the labels are not used"
    )


def _numbers(
    table: CsvTable, col: int, texts: list[str], values: dict[str, float | None]
) -> torch.Tensor:
    wide = torch.tensor([values[t] for t in texts], dtype=torch.float64)
    narrow = wide.float()
    bad = (~torch.isfinite(narrow)).nonzero()
    if len(bad):
        i = int(bad[0])
        raise CsvError(
            f"{table.where(i, col)} holds {texts[i]!r}, beyond the range of float32 (about "
            "±3.4e38); rescale the column"
        )
    return narrow.unsqueeze(1)


def _refuse_typos(
    table: CsvTable, col: int, texts: list[str], canon: dict[str, str], first: dict[str, int]
) -> None:
    """A name on one line only, spelt almost like a name on ten or more, is taken for a typo."""
    counts = Counter(canon[t] for t in texts)
    common = [name for name, n in counts.items() if n >= 10]
    if not common:
        return
    for text, row in first.items():
        name = canon[text]
        if counts[name] != 1:
            continue
        folded = [c for c in common if c.casefold() == name.casefold()]
        close = folded or difflib.get_close_matches(name, common, n=1, cutoff=0.8)
        if close:
            raise CsvError(
                f"{table.where(row, col)} holds {name!r}, found on this line only, while "
                f"{close[0]!r} is on {counts[close[0]]} lines: a typo? Fix the cell, or set "
                f'{_SET_TASK} to "classification" to keep {name!r} as a class of its own'
            )
