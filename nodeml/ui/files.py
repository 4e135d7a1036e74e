"""Where the app keeps files for the user: recent files, the folders file dialogs open in, the
sample graphs (crash-recovery copies: see recovery.py)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

MAX_RECENT = 10


# ---- recent files ------------------------------------------------------------------------------
def recent_files(settings: QSettings | None = None) -> list[Path]:
    """Recently opened or saved files that still exist, newest first."""
    settings = settings or QSettings()
    raw = settings.value("recent_files", [])
    if isinstance(raw, str):  # QSettings hands back a bare string for a one-item list
        raw = [raw]
    return [Path(p) for p in raw or [] if Path(p).is_file()]


def add_recent_file(path: Path, settings: QSettings | None = None) -> None:
    settings = settings or QSettings()
    path = Path(path).resolve()
    kept = [p for p in recent_files(settings) if p.resolve() != path]
    settings.setValue("recent_files", [str(p) for p in [path, *kept][:MAX_RECENT]])


def clear_recent_files(settings: QSettings | None = None) -> None:
    (settings or QSettings()).setValue("recent_files", [])


# ---- the folders file dialogs open in -----------------------------------------------------------
class Folder(Enum):
    """Each kind of file remembers its own last folder: graphs are not kept with checkpoints."""

    GRAPHS = "graphs"
    CHECKPOINTS = "checkpoints"
    EXPORTS = "exports"
    IMPORTS = "imports"  # Python files with a model to import


def dialog_start(
    kind: Folder,
    name: str = "",
    near: Path | None = None,
    settings: QSettings | None = None,
    near_first: bool = False,
) -> str:
    """Where a file dialog for ``kind`` opens: the folder last used for that kind, else ``near``
    (the open graph's folder; first with ``near_first``: Save As of a saved file), else the home
    folder -- never wherever the app was started from; with ``name`` proposed as the file."""
    raw = (settings or QSettings()).value(f"folders/{kind.value}", "")
    last = Path(raw) if isinstance(raw, str) and raw and Path(raw).is_dir() else None
    here = near if near is not None and near.is_dir() else None
    folder = (here or last if near_first else last or here) or Path.home()
    return str(folder / name) if name else str(folder)


def remember_folder(kind: Folder, chosen: str | Path, settings: QSettings | None = None) -> None:
    """After a dialog of ``kind`` picked ``chosen`` (a file, or a folder), open there next time."""
    path = Path(chosen)
    folder = path if path.is_dir() else path.parent
    (settings or QSettings()).setValue(f"folders/{kind.value}", str(folder.resolve()))


def ask_save_path(
    parent: QWidget,
    kind: Folder,
    title: str,
    name: str,
    filter_: str,
    near: Path | None = None,
    near_first: bool = False,
) -> str | None:
    """A save dialog that opens where files of ``kind`` went last time (see dialog_start) and
    remembers the folder chosen; None when cancelled."""
    start = dialog_start(kind, name, near, near_first=near_first)
    path, _ = QFileDialog.getSaveFileName(parent, title, start, filter_)
    if path:
        remember_folder(kind, path)
    return path or None


def ask_open_path(
    parent: QWidget, kind: Folder, title: str, filter_: str, near: Path | None = None
) -> str | None:
    """An open dialog that starts where files of ``kind`` came from last time; None: cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, title, dialog_start(kind, near=near), filter_)
    if path:
        remember_folder(kind, path)
    return path or None


# ---- samples -----------------------------------------------------------------------------------
def samples_dir() -> Path | None:
    """The sample graphs: ``nodeml/sample_graphs`` in an installed wheel, else ``sample_graphs/``
    beside the package (a source checkout or an editable install)."""
    here = Path(__file__).resolve().parent  # nodeml/ui
    for candidate in (here.parent / "sample_graphs", here.parent.parent / "sample_graphs"):
        if candidate.is_dir():
            return candidate
    return None


def sample_files() -> list[Path]:
    folder = samples_dir()
    return sorted(folder.glob("*.json")) if folder else []


def sample_title(path: Path) -> str:
    """``lstm_text_classifier.json`` -> ``LSTM text classifier`` (the menu shows this)."""
    special = {"lenet": "LeNet", "mlp": "MLP", "lstm": "LSTM"}
    words = [special.get(w, w) for w in path.stem.split("_")]
    return " ".join(words)[:1].upper() + " ".join(words)[1:]
