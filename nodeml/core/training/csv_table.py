"""Reading a CSV file into float32 features and the target column's texts, refusing what cannot be
read right with the file, line and column at fault."""

from __future__ import annotations

import array
import csv
import difflib
import io
import os
import re
from dataclasses import dataclass
from operator import itemgetter
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
    """A CSV file read: ``x`` holds the feature columns ``feature_cols`` as float32, ``labels``
    the target column's cells (trimmed). ``lines[i]`` is the line where sample ``i`` starts,
    counted as a text editor counts them; ``path`` is spelt as the user gave it, for messages."""

    path: str
    header: list[str]
    header_line: int
    feature_cols: list[int]
    target_col: int
    x: torch.Tensor
    labels: list[str]
    lines: list[int]

    def where(self, row: int, col: int) -> str:
        return f"{self.path} line {self.lines[row]}, column {self.header[col]!r}"


def read_table(path: str, delimiter: str, target: str, features: Any) -> CsvTable:
    """Read and check the file: UTF-8 (a BOM is fine), a header naming each column once, every
    data row as long as the header, every feature a finite float32. ``target`` is the target
    column's name ("" for the last); ``features`` the feature columns' names ([] for the rest).
    Blank lines are skipped, and so are rows of blank cells below the last data row
    (spreadsheets leave them); above it, such a row is refused for its blank cells.

    Rows are parsed as they are read, keeping only numbers and the target's texts: a file of
    100,000 rows would otherwise stay in memory as millions of small strings."""
    data = _read_bytes(path)
    _check_bytes(path, data)
    reader = csv.reader(_text(data), delimiter=delimiter)
    reading: _Rows | None = None
    last = 0  # the line the previous record ended on
    try:
        for row in reader:
            first, last = last + 1, reader.line_num
            # the first cell settles most rows; join only when it is blank (fast on 100k rows)
            if not (row and (row[0].strip() or "".join(row).strip())):
                if len(row) > 1 and reading is not None:
                    reading.blank_rows.append((row, first))
                continue
            if reading is None:
                header = [cell.strip() for cell in row]
                _check_header(path, header, first, delimiter)
                reading = _Rows(path, header, first, target, features, (data, delimiter))
                continue
            if reading.blank_rows:  # a row of blank cells above data: refused for its cells
                reading.add(*reading.blank_rows[0])
            reading.add(row, first)
    except csv.Error as exc:  # a field over the csv module's size limit
        raise CsvError(f"{path} line {reader.line_num}: cannot be read as CSV ({exc})") from None
    except UnicodeDecodeError:  # the position in the decoder's chunk: find it in the whole file
        _refuse_undecodable(path, data)
    if reading is None:
        raise CsvError(
            f"{path} is empty; a CSV needs a header line naming the columns, then one line per sample"
        )
    return reading.table()


class _Rows:
    """The rows read so far: features as one flat float64 array, the target's texts, lines."""

    def __init__(
        self,
        path: str,
        header: list[str],
        line: int,
        target: str,
        features: Any,
        source: tuple[bytes, str],
    ):
        self.path, self.header, self.header_line = path, header, line
        self.source = source  # the file and delimiter, to quote a cell in an error message
        name = target.strip()
        self.target = _column(path, header, name, "target") if name else len(header) - 1
        self.cols = feature_columns(path, header, line, features, self.target)
        pick = itemgetter(*self.cols)
        self.pick = pick if len(self.cols) > 1 else lambda row: (pick(row),)
        self.values = array.array("d")
        self.labels: list[str] = []
        self.lines: list[int] = []
        self.blank_rows: list[tuple[list[str], int]] = []
        self.example: list[str] | None = None  # the first data row, to suggest numeric columns

    def add(self, row: list[str], line: int) -> None:
        if len(row) != len(self.header):
            raise CsvError(_ragged(self.path, line, row, self.header, self.header_line))
        if self.example is None:
            self.example = row
        try:
            self.values.extend(map(float, self.pick(row)))
        except ValueError:
            self._refuse_row(row, line)
        self.labels.append(row[self.target].strip())
        self.lines.append(line)

    def _refuse_row(self, row: list[str], line: int) -> None:
        """A cell of this row is no number: report the first bad cell of the file (a non-finite
        value on an earlier line comes first)."""
        n = len(self.lines)
        if n:
            wide = torch.frombuffer(self.values, dtype=torch.float64)
            self._refuse_non_finite(wide[: n * len(self.cols)])
        col = next(c for c in self.cols if not _is_number(row[c]))
        where = f"{self.path} line {line}, column {self.header[col]!r}"
        raise CsvError(cell_problem(where, row[col], target=False, numeric=self._numeric(col)))

    def _refuse_non_finite(self, wide: torch.Tensor) -> None:
        bad = (~torch.isfinite(wide)).nonzero()
        if len(bad):
            i = int(bad[0])
            row, k = divmod(i, len(self.cols))
            line, col = self.lines[row], self.cols[k]
            where = f"{self.path} line {line}, column {self.header[col]!r}"
            raise CsvError(cell_problem(where, self._cell(line, col), target=False))

    def _cell(self, line: int, col: int) -> str:
        """The text of column ``col`` in the row starting on ``line``, read again (errors only)."""
        data, delimiter = self.source
        reader = csv.reader(_text(data), delimiter=delimiter)
        last = 0
        for row in reader:
            first, last = last + 1, reader.line_num
            if first == line:
                return row[col]
        raise AssertionError(f"no row starts on line {line}")  # pragma: no cover

    def _numeric(self, bad: int) -> list[str]:
        """Columns whose first value is a number: the features to suggest."""
        row = self.example or []
        return [
            name
            for i, name in enumerate(self.header)
            if name and i not in (bad, self.target) and i < len(row) and _is_number(row[i])
        ]

    def table(self) -> CsvTable:
        if not self.lines:
            raise CsvError(
                f"{self.path} has a header (line {self.header_line}) but no data rows; add one "
                "line per sample"
            )
        wide = torch.frombuffer(self.values, dtype=torch.float64)
        self._refuse_non_finite(wide)
        x = wide.float().reshape(len(self.lines), len(self.cols))
        bad = (~torch.isfinite(x)).nonzero()
        if len(bad):
            row, k = (int(v) for v in bad[0])
            line, col = self.lines[row], self.cols[k]
            raise CsvError(
                f"{self.path} line {line}, column {self.header[col]!r} holds "
                f"{self._cell(line, col).strip()!r}, beyond the range of float32 (about ±3.4e38); "
                "rescale the column"
            )
        return CsvTable(
            self.path,
            self.header,
            self.header_line,
            self.cols,
            self.target,
            x,
            self.labels,
            self.lines,
        )


def _read_bytes(path: str) -> bytes:
    try:
        return Path(os.path.expanduser(path)).read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CsvError(f"training.dataset_options.path: cannot read {path} ({reason})") from None


def _text(data: bytes) -> io.TextIOWrapper:
    """The file as text lines, decoded as they are read: a str of the whole file would be held
    as 4 bytes per character once any character is outside Latin-1."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")


def _check_bytes(path: str, data: bytes) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvError(f"{path} is UTF-16 text; save it as UTF-8 (Excel: 'CSV UTF-8')")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = len(_LINE_BREAK.findall(data, 0, nul)) + 1
        raise CsvError(f"{path} line {line} holds a NUL byte: this is no text file")


def _refuse_undecodable(path: str, data: bytes) -> None:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = len(_LINE_BREAK.findall(data, 0, exc.start)) + 1
        raise CsvError(
            f"{path} line {line}: byte 0x{data[exc.start]:02x} is not UTF-8 text (a Latin-1 or "
            "Windows-1252 file?); save the file as UTF-8 (Excel: 'CSV UTF-8')"
        ) from None
    raise AssertionError("the decoder failed on text that decodes")  # pragma: no cover


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


def _column(path: str, header: list[str], name: str, option: str) -> int:
    """The index of column ``name``; a CsvError naming ``option`` when there is none."""
    if name in header:
        return header.index(name)
    close = difflib.get_close_matches(name, header, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise CsvError(
        f"training.dataset_options.{option}: {path} has no column {name!r}; {hint}"
        f"its columns: {', '.join(header)}"
    )


def feature_columns(
    path: str, header: list[str], header_line: int, features: Any, target: int
) -> list[int]:
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
    if header[target] in names:
        raise CsvError(
            f"training.dataset_options.features: lists the target column {header[target]!r}; a "
            "model must not be shown the answer it learns: remove it from features"
        )
    if names:
        return [_column(path, header, name, "features") for name in names]
    cols = [i for i in range(len(header)) if i != target]
    for i in cols:
        if not header[i]:
            raise CsvError(
                f"{path} line {header_line}: column {i + 1} has no name; name it in the header, or "
                "list the columns to use in training.dataset_options.features (a pandas index? "
                "save with index=False)"
            )
    return cols


def cell_problem(where: str, text: str, *, target: bool, numeric: list[str] | None = None) -> str:
    """Why one cell (at ``where``) cannot be used as a number, and how to fix it; ``numeric``
    names columns to suggest as features."""
    fill = "fill it in or delete the line (nodeml does not guess missing values)"
    shown = text.strip()
    if not shown:
        return f"{where} is blank; {fill}"
    if shown.lower() in MISSING_MARKERS:
        return f"{where} holds {shown!r}, a missing value; {fill}"
    if _is_number(shown):  # parses, so it is an infinity
        return f"{where} holds {shown!r}, not a finite number; {fill}"
    if _DECIMAL_COMMA.match(shown):
        point = shown.replace(",", ".")
        return f"{where} holds {shown!r}, not a number; write decimals with a point ({point})"
    if target:
        return (
            f"{where} holds {shown!r}, not a number, so it cannot be a regression target; fix the "
            'cell, or set training.dataset_options.task to "classification" to use the column\'s '
            "texts as class names"
        )
    listed = f" (e.g. [{', '.join(repr(n) for n in numeric)}])" if numeric else ""
    return (
        f"{where} holds {shown!r}, not a number; features must be numbers: list the numeric "
        f"columns in training.dataset_options.features{listed}, or turn this column into numbers"
    )
