"""docs/datasets.md stays true: its table is the dataset registry's, every dataset has a section
naming each of its options, and the CSV rules it states are the code's.

Run this file as a script to regenerate the table after a registry change:
``.venv/bin/python tests/core/test_datasets_doc.py``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from nodeml.core.training import dataset_names, dataset_spec
from nodeml.core.training.csv_table import MISSING_MARKERS
from nodeml.core.training.csv_target import GUESSED_CLASSES_MAX, TASK_OPTIONS

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "datasets.md"
BEGIN, END = "<!-- datasets:begin -->", "<!-- datasets:end -->"


def dataset_table() -> str:
    """The markdown table of every registered dataset with its options and their defaults."""
    lines = ["| dataset | what it is | options (default) |", "|---|---|---|"]
    for name in dataset_names():
        spec = dataset_spec(name)
        options = ", ".join(f"`{k}`={json.dumps(v)}" for k, v in spec.options.items()) or "–"
        cells = [f"[`{name}`](#{name})", spec.description.replace("<", "&lt;"), options]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _block(text: str) -> str:
    return text[text.index(BEGIN) + len(BEGIN) : text.index(END)].strip("\n")


def _sections(text: str) -> dict[str, str]:
    """Each dataset's section: from its ``### `name` `` heading to the next heading."""
    parts = re.split(r"^(#{2,3} .*)$", text, flags=re.M)
    found = {}
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        match = re.fullmatch(r"### `(\w+)`", heading.strip())
        if match:
            found[match.group(1)] = body
    return found


def regenerate() -> None:
    text = _doc()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    DOC.write_text(text[:start] + "\n" + dataset_table() + "\n" + text[end:], encoding="utf-8")


def test_doc_table_is_the_registry():
    assert _block(_doc()) == dataset_table(), (
        "docs/datasets.md is out of date: run .venv/bin/python tests/core/test_datasets_doc.py"
    )


def test_every_dataset_has_a_section_naming_each_option():
    sections = _sections(_doc())
    assert set(sections) == set(dataset_names())
    for name, body in sections.items():
        for option in dataset_spec(name).options:
            assert f"`{option}`" in body, f"docs/datasets.md: {name} does not explain {option}"


def test_the_csv_rules_stated_are_the_code_s():
    body = _sections(_doc())["csv"]
    for option in TASK_OPTIONS:
        assert f"`{option}`" in body
    assert f"at most {GUESSED_CLASSES_MAX} distinct values" in body
    for marker in MISSING_MARKERS:
        assert f"`{marker}`" in body.lower(), f"missing-value marker {marker!r} is not listed"


def test_readme_links_the_dataset_doc():
    assert "(docs/datasets.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


if __name__ == "__main__":
    regenerate()
    print(f"updated {DOC}", file=sys.stderr)
