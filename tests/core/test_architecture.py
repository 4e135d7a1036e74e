"""nodeml.core stays Qt-free: importing all of it loads no PySide6/pyqtgraph, and no source asks to."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from import_scan import imported_names, module_name  # tests/core is on sys.path under pytest

import nodeml.core

CORE = Path(nodeml.core.__file__).parent
ROOT = CORE.parent.parent
_GUI = ("PySide6", "pyqtgraph", "shiboken6", "PyQt5", "PyQt6")

_IMPORT_ALL = """
import importlib, json, pkgutil, sys
import nodeml.core
names = [m.name for m in pkgutil.walk_packages(nodeml.core.__path__, "nodeml.core.")]
for name in names:
    importlib.import_module(name)
gui = sorted(m for m in sys.modules if m.split(".")[0] in {gui!r})
print(json.dumps({{"modules": names, "gui": gui}}))
"""


def test_importing_every_core_module_loads_no_gui_toolkit():
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL.format(gui=_GUI)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.splitlines()[-1])
    assert (
        "nodeml.core.shapes" in report["modules"]
        and "nodeml.core.compile.codegen" in report["modules"]
    )
    assert report["gui"] == []


def _imported_modules(path: Path) -> set[str]:
    """Absolute names of every module the file imports (relative imports resolved)."""
    return imported_names(module_name(path, ROOT / "nodeml"), path)


def test_no_core_source_imports_qt_or_the_ui_package():
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted(CORE.rglob("*.py"))
        for name in _imported_modules(path)
        if name.split(".")[0] in _GUI or name == "nodeml.ui" or name.startswith("nodeml.ui.")
    ]
    assert offenders == []


def test_relative_imports_resolve_to_real_modules():
    """Guards the scan above: a misresolved name would let a ui import slip through."""
    names = _imported_modules(CORE / "compile" / "codegen.py")
    assert "nodeml.core.catalog" in names and "nodeml.core.shapes" in names
