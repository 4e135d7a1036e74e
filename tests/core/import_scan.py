"""What a source file imports, read with ast (every import statement at any depth, relative ones
resolved): shared by the architecture tests."""

from __future__ import annotations

import ast
from pathlib import Path


def module_name(path: Path, package: Path) -> str:
    """``nodeml.core.graph`` for ``<package>/core/graph.py``; a package by its own name."""
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_files(package: Path) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    return {module_name(path, package): path for path in sorted(package.rglob("*.py"))}


def imported_names(name: str, path: Path, modules: set[str] = frozenset()) -> set[str]:
    """The absolute name of everything ``path`` (module ``name``) imports, anywhere in the file.

    Relative imports are resolved; ``from pkg import sub`` names ``pkg.sub`` when that is one of
    ``modules``, else ``pkg``."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                found.add(sub if sub in modules else module)
    return found


def imported_modules(name: str, path: Path, modules: set[str]) -> set[str]:
    """The modules of ``modules`` that ``path`` (module ``name``) imports anywhere in the file;
    an import of a name inside a module is an import of that module."""
    found: set[str] = set()
    for target in imported_names(name, path, modules):
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)
    return found
