"""nodeml's modules import one way and stay small: no import cycle among them (an import inside a
function or under ``TYPE_CHECKING`` counts), no source file over 500 lines."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from import_scan import imported_modules, module_files  # tests/core is on sys.path under pytest

import nodeml

PACKAGE = Path(nodeml.__file__).parent
ROOT = PACKAGE.parent
MAX_LINES = 500


def import_graph() -> nx.DiGraph:
    files = module_files(PACKAGE)
    graph = nx.DiGraph()
    graph.add_nodes_from(files)
    for name, path in files.items():
        for target in imported_modules(name, path, set(files)):
            graph.add_edge(name, target)
    return graph


def test_no_import_cycle_among_nodeml_modules():
    graph = import_graph()
    cycles = [
        " -> ".join([*cycle, cycle[0]])
        for component in nx.strongly_connected_components(graph)
        if len(component) > 1
        for cycle in [nx.find_cycle(graph.subgraph(component))]
        for cycle in [[u for u, _ in cycle]]
    ]
    assert cycles == []


def test_the_import_graph_sees_every_kind_of_import(tmp_path):
    """Guards the scan above: lazy, type-only, relative and ``from pkg import module`` imports
    all make edges, so a cycle hidden in any of them is found."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from .b import B\n")
    (pkg / "a.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from .sub.b import B\n"
        "def f():\n    from . import c\n    import pkg.d\n"
    )
    (pkg / "sub" / "b.py").write_text("from .. import a\nfrom ..sub import c\nB = 1\n")
    (pkg / "c.py").write_text("from pkg.sub import B\n")
    (pkg / "d.py").write_text("")
    files = module_files(pkg)
    names = set(files)
    edges = {n: imported_modules(n, p, names) for n, p in files.items()}
    assert edges["pkg.a"] == {"pkg.sub.b", "pkg.c", "pkg.d"}
    assert edges["pkg.sub.b"] == {"pkg.a", "pkg.sub"}  # ..sub's c is no module: the package
    assert edges["pkg.c"] == {"pkg.sub"}
    assert edges["pkg.sub"] == {"pkg.sub.b"}


def test_no_source_file_over_500_lines():
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert len(sizes) > 100  # the scan sees the whole package
    assert {path: n for path, n in sizes.items() if n > MAX_LINES} == {}
