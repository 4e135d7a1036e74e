"""A graph's runs as their folders tell them: list, read, rename, annotate, delete and compare them."""

from __future__ import annotations

import csv
import json
import math
import os
import shutil
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import TrainingError
from .run_folder import (
    BestMetric,
    RunManifest,
    RunStatus,
    effective_status,
    holds_run,
    is_run_folder_of,
    parse_time,
    read_manifest,
    run_stem,
    runs_root,
    write_manifest,
)
from .setting_changes import run_differences


class RunFolderError(TrainingError):
    """A path is not a run folder nodeml can read or change; the message says which and why."""


@dataclass
class RunRecord:
    """One run: its folder, what ``run.json`` says, and the status and progress as of now
    (a "running" run whose process is gone reads INTERRUPTED; epochs count metrics.csv's rows)."""

    path: Path
    manifest: RunManifest
    status: RunStatus
    epochs_done: int
    best: BestMetric | None
    changes: list[str] = field(default_factory=list)  # what differs from the previous run

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def started(self) -> datetime | None:
        return parse_time(self.manifest.started)

    def to_json(self) -> dict[str, Any]:
        m = self.manifest
        best = None
        if self.best is not None:
            best = {"name": self.best.name, "value": self.best.value, "epoch": self.best.epoch}
            best["metrics"] = self.best.metrics
        return {
            "name": m.name,
            "path": str(self.path),
            "status": self.status.value,
            "note": m.note,
            "started": m.started,
            "ended": m.ended,
            "epochs": self.epochs_done,
            "epochs_asked": m.epochs_asked,
            "best": best,
            "world_size": m.world_size,
            "error": m.error,
            "resumed_from": m.resumed_from,
            "changes": self.changes,
        }


def read_run(path: str | os.PathLike[str]) -> RunRecord:
    """The run in ``path``; RunFolderError when it holds none."""
    path = Path(path)
    manifest = read_manifest(path) or _legacy_manifest(path)
    if manifest is None:
        raise RunFolderError(f"{path} is not a nodeml run folder (it has no run.json)")
    rows = read_metrics(path)
    status = effective_status(manifest)
    best = manifest.best
    if status in (RunStatus.RUNNING, RunStatus.INTERRUPTED) or best is None:
        best = _best_of(rows) or best  # run.json is rewritten on the checkpoint cadence only
    return RunRecord(path, manifest, status, max(manifest.epochs_done, len(rows)), best)


def list_runs(
    root: str | os.PathLike[str],
    graph_file: str | os.PathLike[str] | None = None,
    *,
    graph_name: str | None = None,
) -> list[RunRecord]:
    """The runs in ``root``, oldest first, each with what differs from the one before it: of
    ``graph_file`` only when given; else, with ``graph_name``, those of an unsaved graph of that
    name (in the user data folder)."""
    root = Path(root)
    if not root.is_dir():
        return []
    wanted = str(Path(graph_file).resolve()) if graph_file is not None else None
    stem = run_stem(graph_file, graph_name or "") if graph_file or graph_name else None
    records = []
    for folder in root.iterdir():
        if not folder.is_dir() or not holds_run(folder):
            continue
        try:
            record = read_run(folder)
        except RunFolderError:
            continue
        if wanted is not None and not _belongs(record, wanted, stem or ""):
            continue
        if wanted is None and stem is not None and not is_run_folder_of(folder, stem):
            continue
        records.append(record)
    records.sort(key=_start_key)
    for previous, record in zip(records, records[1:], strict=False):
        record.changes = differences(previous.path, record.path)
    return records


def _belongs(record: RunRecord, graph_file: str, stem: str) -> bool:
    """A run of this graph file; or named after it when its own record does not say (an older
    run) or names a file that is gone (the project folder was moved, runs and all)."""
    own = record.manifest.graph_file
    if own is not None and (own == graph_file or Path(own).exists()):
        return own == graph_file
    return is_run_folder_of(record.path, stem)


def graph_runs(graph_file: str | os.PathLike[str]) -> list[RunRecord]:
    """The runs of a saved graph, from the ``runs`` folder beside it."""
    return list_runs(runs_root(graph_file), graph_file)


def _start_key(record: RunRecord) -> tuple[float, str]:
    started = record.started
    stamp = started.timestamp() if started is not None else record.path.stat().st_mtime
    return stamp, record.path.name


# ---- one run's files ----------------------------------------------------------------------------
def read_metrics(path: str | os.PathLike[str]) -> list[dict[str, float]]:
    """metrics.csv as one dict per epoch (numbers; a cell that is not one is left out)."""
    try:
        with open(Path(path) / "metrics.csv", newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    out = []
    for row in rows:
        parsed = {}
        for key, value in row.items():
            try:
                parsed[key] = float(value)
            except (TypeError, ValueError):
                continue
        if "epoch" in parsed:
            parsed["epoch"] = int(parsed["epoch"])
            out.append(parsed)
    return out


def read_json(path: str | os.PathLike[str], name: str) -> dict[str, Any] | None:
    """``settings.json`` or ``graph.json`` of a run, or None when absent or unreadable."""
    try:
        data = json.loads((Path(path) / name).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


_DIFFERENCES: dict[tuple[Any, ...], list[str]] = {}  # by the two runs' files, as they stand


def differences(previous: str | os.PathLike[str], current: str | os.PathLike[str]) -> list[str]:
    """What changed from one run to the next: settings ("lr 0.01 → 0.02") and graph edits.

    Kept while neither run's settings.json / graph.json changes (they are written once, as a
    run starts): the Runs list is read again as each run starts and ends, and comparing every
    pair again cost ~2 ms a run of UI time taken from the run starting (benchmarks/README.md)."""
    key = (*_signature(previous), *_signature(current))
    if key not in _DIFFERENCES:
        if len(_DIFFERENCES) > 4096:
            _DIFFERENCES.clear()
        old = read_json(previous, "settings.json") or {}
        new = read_json(current, "settings.json") or {}
        _DIFFERENCES[key] = run_differences(
            old.get("training"),
            new.get("training"),
            read_json(previous, "graph.json"),
            read_json(current, "graph.json"),
        )
    return list(_DIFFERENCES[key])


def _signature(folder: str | os.PathLike[str]) -> tuple[Any, ...]:
    out: list[Any] = [str(Path(folder).resolve())]
    for name in ("settings.json", "graph.json"):
        try:
            stat = os.stat(Path(folder) / name)
        except OSError:
            out += [None, None]
        else:
            out += [stat.st_mtime_ns, stat.st_size]
    return tuple(out)


# ---- changing a run -----------------------------------------------------------------------------
def rename_run(path: str | os.PathLike[str], name: str) -> RunRecord:
    name = name.strip()
    if not name:
        raise RunFolderError("a run's name cannot be empty")
    return _update(path, name=name)


def set_note(path: str | os.PathLike[str], note: str) -> RunRecord:
    return _update(path, note=note)


def _update(path: str | os.PathLike[str], **changes: Any) -> RunRecord:
    path = Path(path)
    manifest = read_manifest(path) or _legacy_manifest(path)
    if manifest is None:
        raise RunFolderError(f"{path} is not a nodeml run folder (it has no run.json)")
    write_manifest(path, replace(manifest, **changes))  # atomic: a reader sees old or new
    return read_run(path)


def delete_run(path: str | os.PathLike[str]) -> None:
    """Remove a run folder, and only one: a folder without nodeml's run files is refused."""
    path = Path(path)
    if not path.is_dir():
        raise RunFolderError(f"{path} is not a folder")
    manifest = read_manifest(path) or _legacy_manifest(path)
    if manifest is None:
        raise RunFolderError(f"{path} is not a nodeml run folder; it was not deleted")
    if effective_status(manifest) is RunStatus.RUNNING:
        raise RunFolderError(f"{path} is still training; stop it before deleting it")
    shutil.rmtree(path)


# ---- helpers ----------------------------------------------------------------------------------------
def _legacy_manifest(path: Path) -> RunManifest | None:
    """Runs written before run.json: settings.json plus metrics or a checkpoint."""
    settings = read_json(path, "settings.json")
    if settings is None or not any((path / n).exists() for n in ("last.pt", "metrics.csv")):
        return None
    training = settings.get("training") if isinstance(settings.get("training"), dict) else {}
    asked = training.get("epochs", 10) if isinstance(training, dict) else 10
    done = len(read_metrics(path))
    finished = isinstance(asked, int) and done >= asked
    return RunManifest(
        name=path.name,
        status=RunStatus.FINISHED if finished else RunStatus.STOPPED,
        started=str(settings.get("started") or ""),
        epochs_done=done,
        epochs_asked=asked if isinstance(asked, int) else 0,
    )


def _best_of(rows: list[dict[str, float]]) -> BestMetric | None:
    """The epoch best.pt follows: lowest validation loss, else training loss (first if tied)."""
    if not rows:
        return None
    key = "val_loss" if "val_loss" in rows[0] else "train_loss"
    scored = [r for r in rows if key in r and math.isfinite(r[key])]
    if not scored:
        return None
    row = min(scored, key=lambda r: r[key])
    metrics = {k: v for k, v in row.items() if k.startswith(("train_", "val_"))}
    return BestMetric(key, row[key], int(row["epoch"]), metrics)


def run_lines(r: RunRecord) -> list[str]:
    """What ``nodeml runs`` prints for a run: name, status, epochs, best metric, start; its folder;
    what changed from the run before; the error that ended it."""
    best = ""
    if r.best is not None:
        split = r.best.name.split("_")[0]  # val or train: show that split's metric too
        extra = next(
            (f", {k} {v:.4g}" for k, v in r.best.metrics.items()
             if k.startswith(split) and k.endswith(("accuracy", "mae"))),
            "",
        )  # fmt: skip
        best = f"best {r.best.name} {r.best.value:.4g} (epoch {r.best.epoch}{extra})"
    started = r.manifest.started.replace("T", " ")[:16]
    epochs = f"{r.epochs_done}/{r.manifest.epochs_asked} epochs"
    if r.manifest.world_size > 1:  # a torchrun job's
        epochs += f" on {r.manifest.world_size} processes"
    lines = [f"{r.name}  {r.status.value}  {epochs}  {best}  {started}", f"    {r.path}"]
    if r.changes:
        lines.append(f"    changed: {'; '.join(r.changes)}")
    if r.manifest.error:
        lines.append(f"    error: {r.manifest.error.splitlines()[0]}")
    return lines
