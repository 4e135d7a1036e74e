"""Rebuilds the translation files of a checkout: catalog_strings.py, the .ts from the sources
(pyside6-lupdate), the .qm from the .ts (pyside6-lrelease). ``python -m nodeml.ui.translation_build``.

Translators edit ``resources/i18n/nodeml_<lang>.ts`` (Qt Linguist, or any editor) and run this
again; the .qm it writes is committed, so a wheel needs no Qt tools to build.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import PySide6

from .catalog_text import catalog_strings_source

CHECKOUT = Path(__file__).resolve().parents[2]
SOURCES = CHECKOUT / "nodeml" / "ui"  # the core is Qt-free: its texts reach lupdate via the UI
CATALOG_STRINGS = SOURCES / "catalog_strings.py"
I18N = CHECKOUT / "resources" / "i18n"
TRANSLATED = ("ko",)  # the languages with a .ts (English is the source language)


def ts_path(code: str) -> Path:
    return I18N / f"nodeml_{code}.ts"


def qt_tool(name: str) -> str:
    """The path of Qt's ``lupdate`` / ``lrelease``: the PySide6 wheel carries both."""
    suffix = ".exe" if sys.platform == "win32" else ""
    bundled = Path(PySide6.__file__).parent / f"{name}{suffix}"
    if bundled.is_file():
        return str(bundled)
    found = shutil.which(f"pyside6-{name}") or shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"Qt's {name} is not installed (it comes with PySide6)")
    return found


def source_files(sources: Path = SOURCES) -> list[Path]:
    """The Python files lupdate reads (it does not look for .py files in a folder by itself)."""
    return sorted(p for p in sources.rglob("*.py") if "__pycache__" not in p.parts)


def run_lupdate(ts: Path, sources: Path = SOURCES) -> str:
    """Merge the translatable texts of ``sources`` into ``ts``: new ones come in unfinished, gone
    ones leave. No source locations, so moving code does not rewrite the file. Returns its log."""
    done = subprocess.run(
        [
            qt_tool("lupdate"),
            *map(str, source_files(sources)),
            "-no-obsolete",
            "-locations",
            "none",
            "-source-language",
            "en",
            "-ts",
            str(ts),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return done.stdout + done.stderr


def run_lrelease(ts: Path, qm: Path) -> str:
    """Compile ``ts`` into ``qm``; returns lrelease's log (it counts the unfinished messages)."""
    done = subprocess.run(
        [qt_tool("lrelease"), str(ts), "-qm", str(qm)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return done.stdout + done.stderr


def main() -> int:
    CATALOG_STRINGS.write_text(catalog_strings_source(), encoding="utf-8")
    for code in TRANSLATED:
        ts = ts_path(code)
        print(run_lupdate(ts), end="")
        print(run_lrelease(ts, ts.with_suffix(".qm")), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
