"""Generated CSV texts, good and bad: each loads consistently with what was written, or is refused
with a DatasetError naming a line (one the generator spoiled, when it spoiled any), never with
another exception; a spoiled file never loads."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import torch
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from nodeml.core.training import DatasetError, TrainingConfig, load_dataset
from nodeml.core.training.datasets import TaskHint, first_samples

# CI runs the same examples every time; locally each run explores new ones
_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BAD_FEATURES = ["NaN", "nan", "inf", "-inf", "", "  ", "abc", "NA"]
BAD_LABELS = ["", " ", "NaN", "inf"]
NAMES = ["cat", "dog", "bird", "big dog", "x,y", 'say "hi"', "two\nlines", "Ünïcode"]


@dataclass
class Written:
    """What the generator put in the file: the good values, and the lines it spoiled."""

    text: str
    features: list[list[float]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    bad_lines: set[int] = field(default_factory=set)


def _quote(cell: str, always: bool) -> str:
    if always or any(c in cell for c in ',"\n\r') or cell != cell.strip():
        return '"' + cell.replace('"', '""') + '"'
    return cell


@st.composite
def csv_files(draw) -> Written:
    n_features = draw(st.integers(1, 4))
    n_rows = draw(st.integers(1, 14))
    mode = draw(st.sampled_from(["whole", "fraction", "names"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    quote_all = draw(st.booleans())
    spoil = draw(st.sampled_from([0, 0, 0, 3, 10]))  # percent of cells (and rows) made bad

    def spoiled_here() -> bool:
        return spoil > 0 and draw(st.integers(0, 99)) < spoil

    written = Written("")
    lines = [",".join(_quote(f"f{j}", quote_all) for j in range(n_features)) + ",label"]
    line_no = 1
    blank_rows: list[int] = []
    for _ in range(n_rows):
        if draw(st.integers(0, 9)) == 0:  # a blank line between rows
            lines.append("")
            line_no += 1
        line_no += 1
        start = line_no
        cells, values, spoiled = [], [], False
        for _ in range(n_features):
            if spoiled_here():
                cells.append(draw(st.sampled_from(BAD_FEATURES)))
                spoiled = True
                continue
            value = draw(
                st.one_of(
                    st.integers(-1000, 1000).map(float),
                    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False, width=32),
                )
            )
            text = draw(
                st.sampled_from([repr(value), f"{value:g}", f" {value!r} ", f"{value:.3e}"])
            )
            cells.append(text)
            values.append(float(text))
        if spoiled_here():
            label = draw(st.sampled_from(BAD_LABELS))
            spoiled = True
        elif mode == "whole":
            k = draw(st.integers(0, 4))
            label = draw(st.sampled_from([str(k), f"{k}.0", f" {k} ", f"+{k}"]))
        elif mode == "fraction":
            label = repr(draw(st.integers(-20, 20)) / 4)
        else:
            label = draw(st.sampled_from(NAMES))
        cells.append(label)
        if spoiled_here():  # a ragged row
            if draw(st.booleans()) or len(cells) > 2:
                cells.pop(0)
            else:
                cells.append("1")
            spoiled = True
        row = ",".join(_quote(c, quote_all) for c in cells)
        line_no += row.count("\n")
        lines.append(row)
        if not any(c.strip() for c in cells):
            # one blank cell is a blank line, skipped; more are a blank row, skipped only below
            # the last data row
            if len(cells) > 1:
                blank_rows.append(start)
        elif spoiled:
            written.bad_lines.update(blank_rows + [start])
            blank_rows.clear()
        else:
            written.bad_lines.update(blank_rows)
            blank_rows.clear()
            written.features.append(values)
            written.labels.append(label)
    body = newline.join(lines) + newline + draw(st.sampled_from(["", newline, newline * 2]))
    written.text = ("\ufeff" if draw(st.booleans()) else "") + body
    return written


def _canonical(label: str) -> tuple[bool, str]:
    text = label.strip()
    try:
        value = float(text)
    except ValueError:
        return False, text
    return True, str(int(value)) if value.is_integer() else repr(value)


@_SETTINGS
@given(
    written=csv_files(),
    task=st.sampled_from(["auto", "auto", "classification", "regression"]),
    width=st.sampled_from([None, 1, 2, 5, 10]),
    loss=st.sampled_from([None, None, "cross_entropy", "mse"]),
)
def test_a_csv_loads_consistently_or_is_refused_naming_a_line(
    tmp_path_factory, written, task, width, loss
):
    path = tmp_path_factory.mktemp("csv") / "data.csv"
    path.write_bytes(written.text.encode("utf-8"))
    config = TrainingConfig(
        dataset="csv",
        dataset_options={"path": str(path), "task": task},
        val_split=0,
        normalize=False,
    )
    try:
        data = load_dataset(config, TaskHint(output_width=width, loss=loss))
    except DatasetError as exc:
        message = str(exc)
        event("refused, spoiled" if written.bad_lines else "refused, sound")
        assert "\n" not in message
        named = [int(n) for n in re.findall(r"\blines? (\d+)", message)]
        if written.bad_lines:
            assert named and named[0] in written.bad_lines, message
        else:  # a sound file refused for what its labels mean, or for the graph's task
            assert (
                named or "training.dataset_options.task" in message or "training.loss" in message
            ), message
        return
    assert not written.bad_lines, f"spoiled lines {written.bad_lines} were loaded"
    event(f"loaded as {data.info.task}")
    x, y = first_samples(data.train, len(data.train))
    n = len(written.labels)
    assert x.shape == (n, len(written.features[0])) and len(y) == n
    assert x.tolist() == torch.tensor(written.features, dtype=torch.float32).tolist()
    canon = [_canonical(label) for label in written.labels]
    if data.info.task == "regression":
        assert all(numeric for numeric, _ in canon)
        want = torch.tensor([float(label) for label in written.labels], dtype=torch.float32)
        assert y.shape == (n, 1) and y.flatten().tolist() == want.tolist()
        return
    names = [name for _, name in canon]
    assert data.info.num_classes == len(set(names)) == len(data.info.classes)
    assert [data.info.classes[i] for i in y.tolist()] == names
    if all(numeric for numeric, _ in canon):
        assert [float(c) for c in data.info.classes] == sorted(float(c) for c in set(names))
    else:
        assert list(data.info.classes) == sorted(set(names))
