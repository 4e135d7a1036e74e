"""Reading a CSV file into named columns of text and numeric feature columns, refusing what it
cannot read right with the file, line and column at fault."""

from __future__ import annotations

import array
import contextlib
import csv
import difflib
import functools
import gc
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from ..errors import TrainingError

# texts spreadsheets and pandas write for a missing value; a cell holding one is refused as missing
MISSING_MARKERS = frozenset(
    {"nan", "-nan", "na", "n/a", "#n/a", "null", "none", "?", "-", "--", "missing", "#value!"}
)
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d+,\d+\s*$")


class CsvError(TrainingError):
    """A CSV file or csv option that cannot be used; the csv dataset reports it as a DatasetError
    (this module stays free of the dataset registry)."""


@dataclass
class CsvTable:
    """A CSV file's header and data rows as text. ``lines[i]`` is the line (counted as a text
    editor counts them, the header being line 1 unless blank lines precede it) where ``rows[i]``
    starts; ``path`` is spelt as the user gave it, for messages."""

    path: str
    header: list[str]
    header_line: int
    rows: list[list[str]]
    lines: list[int]

    @functools.cached_property
    def columns(self) -> list[tuple[str, ...]]:
        """The cells column by column (one transpose, far faster than a pass per column)."""
        return list(zip(*self.rows, strict=True))

    def where(self, row: int, col: int) -> str:
        return f"{self.path} line {self.lines[row]}, column {self.header[col]!r}"

    def column(self, name: str, option: str) -> int:
        """The index of column ``name``; a CsvError naming ``option`` when there is none."""
        if name in self.header:
            return self.header.index(name)
        close = difflib.get_close_matches(name, self.header, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise CsvError(
            f"training.dataset_options.{option}: {self.path} has no column {name!r}; {hint}"
            f"its columns: {', '.join(self.header)}"
        )


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Cyclic garbage collection off meanwhile: reading builds a million small strings and lists,
    none in a cycle, and the collector's passes over them took half the time (measured, 100k rows)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_table(path: str, delimiter: str) -> CsvTable:
    """Read and check the file's layout: UTF-8 (a BOM is fine), a header naming each column once,
    every data row as long as the header. Blank lines are skipped, and so are rows of blank cells
    below the last data row (spreadsheets leave them); above it, such a row is refused."""
    data = _read_bytes(path)
    text = _decode(path, data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_line = width = 0
    rows: list[list[str]] = []
    lines: list[int] = []
    blank_rows: list[tuple[list[str], int]] = []  # rows of blank cells not yet known to be trailing
    last = 0  # the line the previous record ended on
    try:
        for row in reader:
            first, last = last + 1, reader.line_num
            # the first cell settles most rows; join only when it is blank (fast on 100k rows)
            if not (row and (row[0].strip() or "".join(row).strip())):
                if len(row) > 1 and header is not None:
                    blank_rows.append((row, first))
                continue
            if header is None:
                header, header_line = [cell.strip() for cell in row], first
                _check_header(path, header, header_line, delimiter)
                width = len(header)
                continue
            if blank_rows:  # rows of blank cells above data: refused as blank cells later
                for held, held_line in blank_rows:
                    _append(path, header, header_line, rows, lines, held, held_line)
                blank_rows.clear()
            if len(row) != width:
                raise CsvError(_ragged(path, first, row, header, header_line))
            rows.append(row)
            lines.append(first)
    except csv.Error as exc:  # a field over the csv module's size limit
        raise CsvError(f"{path} line {reader.line_num}: cannot be read as CSV ({exc})") from None
    if header is None:
        raise CsvError(
            f"{path} is empty; a CSV needs a header line naming the columns, then one line per sample"
        )
    if not rows:
        raise CsvError(
            f"{path} has a header (line {header_line}) but no data rows; add one line per sample"
        )
    return CsvTable(path, header, header_line, rows, lines)


def _append(
    path: str,
    header: list[str],
    header_line: int,
    rows: list[list[str]],
    lines: list[int],
    row: list[str],
    line: int,
) -> None:
    if len(row) != len(header):
        raise CsvError(_ragged(path, line, row, header, header_line))
    rows.append(row)
    lines.append(line)


def _read_bytes(path: str) -> bytes:
    try:
        return Path(os.path.expanduser(path)).read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CsvError(f"training.dataset_options.path: cannot read {path} ({reason})") from None


def _decode(path: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvError(f"{path} is UTF-16 text; save it as UTF-8 (Excel: 'CSV UTF-8')")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = len(_LINE_BREAK.findall(data, 0, nul)) + 1
        raise CsvError(f"{path} line {line} holds a NUL byte: this is no text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = len(_LINE_BREAK.findall(data, 0, exc.start)) + 1
        raise CsvError(
            f"{path} line {line}: byte 0x{data[exc.start]:02x} is not UTF-8 text (a Latin-1 or "
            "Windows-1252 file?); save the file as UTF-8 (Excel: 'CSV UTF-8')"
        ) from None


def _check_header(path: str, header: list[str], line: int, delimiter: str) -> None:
    where = f"{path} line {line}"
    if len(header) < 2:
        found = [d for d in (";", "\t", ",", "|") if d != delimiter and d in header[0]]
        hint = (
            f"; its values look separated by {found[0]!r}: set training.dataset_options.delimiter "
            f"to {found[0]!r}"
            if found
            else ""
        )
        raise CsvError(
            f"{where}: the header names one column ({header[0]!r}), but a CSV for training needs "
            f"feature columns and a target column{hint}"
        )
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if name and name in seen:
            raise CsvError(
                f"{where}: column name {name!r} appears twice (columns {seen[name] + 1} and "
                f"{i + 1}); give each column its own name"
            )
        seen[name] = i
    if all(_is_number(name) for name in header):
        raise CsvError(
            f"{where} should name the columns but holds numbers ({', '.join(header[:4])}, ...); "
            "add a header line such as x1,x2,...,target above the data"
        )


def _ragged(path: str, line: int, row: list[str], header: list[str], header_line: int) -> str:
    hint = ""
    if len(row) == len(header) + 1 and not row[-1].strip():
        hint = " (a delimiter at the end of the line?)"
    elif any("\n" in cell or "\r" in cell for cell in row):
        hint = ' (a quote " left open on this line? it runs on over the following lines)'
    return (
        f"{path} line {line}: {len(row)} values, but the header (line {header_line}) names "
        f"{len(header)} columns{hint}; every line needs one value per column"
    )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def feature_columns(table: CsvTable, features: Any, target: int) -> list[int]:
    """The indexes of the feature columns: those named in ``features``, else every column but the
    target; each checked to be a named column that is not the target."""
    if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
        raise CsvError(
            'training.dataset_options.features: must be a list of column names, e.g. ["age", '
            '"height"] (or [] for every column but the target)'
        )
    names = [f.strip() for f in features]
    for name in names:
        if names.count(name) > 1:
            raise CsvError(f"training.dataset_options.features: lists {name!r} twice")
    if table.header[target] in names:
        raise CsvError(
            f"training.dataset_options.features: lists the target column {table.header[target]!r}; a model "
            "must not be shown the answer it learns: remove it from features"
        )
    if names:
        return [table.column(name, "features") for name in names]
    cols = [i for i in range(len(table.header)) if i != target]
    for i in cols:
        if not table.header[i]:
            raise CsvError(
                f"{table.path} line {table.header_line}: column {i + 1} has no name; name it in "
                "the header, or list the columns to use in training.dataset_options.features "
                "(a pandas index? save with index=False)"
            )
    return cols


def number_column(table: CsvTable, col: int, target: int) -> torch.Tensor:
    """Column ``col`` as float32 numbers. A blank, missing, non-finite or non-numeric cell, or one
    beyond float32's range, is refused naming its line; ``target`` is the target column's index,
    so the advice fits the column's role."""
    cells = table.columns[col]
    try:
        values = array.array("d", map(float, cells))
    except ValueError:
        i = next(i for i, cell in enumerate(cells) if not _is_number(cell))
        raise CsvError(cell_problem(table, i, col, target)) from None
    wide = torch.frombuffer(values, dtype=torch.float64)
    bad = (~torch.isfinite(wide)).nonzero()
    if len(bad):
        raise CsvError(cell_problem(table, int(bad[0]), col, target))
    narrow = wide.float()
    bad = (~torch.isfinite(narrow)).nonzero()
    if len(bad):
        i = int(bad[0])
        raise CsvError(
            f"{table.where(i, col)} holds {cells[i].strip()!r}, beyond the range of float32 "
            "(about ±3.4e38); rescale the column"
        )
    return narrow


def cell_problem(table: CsvTable, row: int, col: int, target: int) -> str:
    """Why one cell cannot be used as a number, and how to fix it."""
    text = table.rows[row][col]
    where = table.where(row, col)
    fill = "fill it in or delete the line (nodeml does not guess missing values)"
    if not text.strip():
        return f"{where} is blank; {fill}"
    shown = text.strip()
    if shown.lower() in MISSING_MARKERS:
        return f"{where} holds {shown!r}, a missing value; {fill}"
    if _is_number(shown):  # parses, so it is an infinity
        return f"{where} holds {shown!r}, not a finite number; {fill}"
    if _DECIMAL_COMMA.match(shown):
        return f"{where} holds {shown!r}, not a number; write decimals with a point ({shown.replace(',', '.')})"
    if col == target:
        return (
            f"{where} holds {shown!r}, not a number, so it cannot be a regression target; fix the "
            'cell, or set training.dataset_options.task to "classification" to use the column\'s '
            "texts as class names"
        )
    numeric = [
        repr(name)
        for i, name in enumerate(table.header)
        if name and _is_number(table.rows[0][i]) and i not in (col, target)
    ]
    listed = f" (e.g. [{', '.join(numeric)}])" if numeric else ""
    return (
        f"{where} holds {shown!r}, not a number; features must be numbers: list the numeric "
        f"columns in training.dataset_options.features{listed}, or turn this column into numbers"
    )
