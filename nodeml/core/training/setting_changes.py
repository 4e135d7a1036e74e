"""What differs between two runs' settings and graphs, said as a person reads it ("lr 0.01 → 0.02")."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from ..errors import TrainingError
from .config import TrainingConfig
from .data_paths import PATH_OPTIONS

# settings that say where or how fast a run goes, not what it learns
UNLEARNED = ("device", "num_workers", "log_every")


@dataclass(frozen=True)
class SettingChange:
    """One setting that differs: ``key`` is the setting (``dataset_options.path`` for an option)."""

    key: str
    old: Any
    new: Any

    def shown(self) -> tuple[str, str]:
        """The old and new values as text; two files in one folder by their names alone."""
        old, new = self.old, self.new
        if isinstance(old, str) and isinstance(new, str) and os.sep in old + new:
            a, b = PurePath(old), PurePath(new)
            if a.parent == b.parent:
                old, new = a.name, b.name
        return show(old), show(new)

    def describe(self) -> str:
        old, new = self.shown()
        return f"{self.key} {old} → {new}"


def show(value: Any) -> str:
    """A value as short text: 0.001 not 0.0010000000474974513, None as 'none', lists plainly."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    return str(value)


def _settings(config: TrainingConfig | dict[str, Any] | None) -> dict[str, Any]:
    """Every setting with its default filled in, so an unset and a default value compare equal."""
    if config is None:
        return {}
    if isinstance(config, dict):
        try:
            config = TrainingConfig.from_dict(config)
        except (TrainingError, TypeError, ValueError):  # foreign or older: compare it literally
            return dict(config)
    return {f.name: getattr(config, f.name) for f in dataclasses.fields(config)}


def setting_changes(
    old: TrainingConfig | dict[str, Any] | None,
    new: TrainingConfig | dict[str, Any] | None,
    *,
    include_unlearned: bool = False,
) -> list[SettingChange]:
    """Settings that differ, in ``TrainingConfig``'s field order; dataset options one by one."""
    a, b = _settings(old), _settings(new)
    changes = []
    for key in dict.fromkeys([*a, *b]):
        if key in UNLEARNED and not include_unlearned:
            continue
        va, vb = a.get(key), b.get(key)
        if va == vb:
            continue
        if key == "dataset_options" and isinstance(va, dict) and isinstance(vb, dict):
            for opt in dict.fromkeys([*va, *vb]):
                if not _same_option(opt, va.get(opt), vb.get(opt)):
                    changes.append(
                        SettingChange(f"dataset_options.{opt}", va.get(opt), vb.get(opt))
                    )
            continue
        changes.append(SettingChange(key, va, vb))
    return changes


def _same_option(key: str, a: Any, b: Any) -> bool:
    """Equal values; for a file path, the same file (``data.csv`` read from here is ``/here/data.csv``)."""
    if key in PATH_OPTIONS and isinstance(a, str) and isinstance(b, str) and a and b:
        return os.path.abspath(os.path.expanduser(a)) == os.path.abspath(os.path.expanduser(b))
    return a == b


def graph_changes(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[str]:
    """Nodes added, removed or re-typed, parameters changed, and whether the wiring changed."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    a, b = _nodes(old), _nodes(new)
    out = []
    for nid, node in b.items():
        if nid not in a:
            out.append(f"added {nid} ({node.get('type')})")
        elif a[nid].get("type") != node.get("type"):
            out.append(f"{nid} {a[nid].get('type')} → {node.get('type')}")
        else:
            pa, pb = a[nid].get("params") or {}, node.get("params") or {}
            for key in dict.fromkeys([*pa, *pb]):
                if pa.get(key) != pb.get(key):
                    out.append(f"{nid}.{key} {show(pa.get(key))} → {show(pb.get(key))}")
    out += [f"removed {nid} ({node.get('type')})" for nid, node in a.items() if nid not in b]
    if _wires(old) != _wires(new) and not any(s.startswith(("added", "removed")) for s in out):
        out.append("wiring changed")
    return out


def _nodes(graph: dict[str, Any]) -> dict[str, dict[str, Any]]:
    nodes = graph.get("nodes")
    if not isinstance(nodes, list):
        return {}
    return {str(n.get("id")): n for n in nodes if isinstance(n, dict)}


def _wires(graph: dict[str, Any]) -> set[tuple[Any, ...]]:
    edges = graph.get("edges")
    if not isinstance(edges, list):
        return set()
    return {
        (e.get("source"), e.get("source_port", 0), e.get("target"), e.get("target_port", 0))
        for e in edges
        if isinstance(e, dict)
    }


def run_differences(
    old_training: Any, new_training: Any, old_graph: Any = None, new_graph: Any = None
) -> list[str]:
    """Everything a person would want to know changed between two runs, one short item each."""
    items = [c.describe() for c in setting_changes(old_training, new_training)]
    return items + graph_changes(old_graph, new_graph)
