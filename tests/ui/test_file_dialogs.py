"""File dialogs open where that kind of file went last time (graphs, checkpoints, exports each
their own folder, kept in QSettings), never in the folder the app happened to start from."""

from __future__ import annotations

import shutil
from pathlib import Path

from app_fixtures import LENET
from PySide6.QtWidgets import QFileDialog

from nodeml.ui.files import Folder, dialog_start


class FakeDialogs:
    """Answers every file dialog with the next path queued, recording where each one opened."""

    def __init__(self, monkeypatch) -> None:
        self.starts: list[tuple[str, str]] = []
        self.answers: list[Path] = []
        for kind in ("getOpenFileName", "getSaveFileName"):
            monkeypatch.setattr(QFileDialog, kind, staticmethod(self._answer(kind)))

    def _answer(self, kind: str):
        def show(_parent, _title, start, *_args, **_kwargs):
            self.starts.append((kind, start))
            return (str(self.answers.pop(0)), "")

        return show


def test_each_kind_of_file_dialog_reopens_in_its_own_last_folder(
    window, tmp_path, monkeypatch, shown_boxes
):
    fake = FakeDialogs(monkeypatch)
    graphs, exports, elsewhere = tmp_path / "graphs", tmp_path / "exports", tmp_path / "else"
    for folder in (graphs, exports, elsewhere):
        folder.mkdir()
    shutil.copyfile(LENET, graphs / "lenet.json")
    monkeypatch.chdir(elsewhere)  # the app was started from some other folder

    fake.answers.append(graphs / "lenet.json")
    window.files.open_file()
    assert Path(fake.starts[-1][1]) == Path.home()  # nothing remembered yet: not the cwd
    fake.answers.append(exports / "lenet.py")
    assert window.files.export_python()
    assert Path(fake.starts[-1][1]) == graphs / "lenet.py"  # first export: beside the graph
    window.document.path = None  # an untitled graph from now on
    fake.answers.append(exports / "again.py")
    assert window.files.export_python()
    assert Path(fake.starts[-1][1]).parent == exports  # the exports folder is remembered
    fake.answers.append(graphs / "lenet.json")
    window.files.open_file()
    assert Path(fake.starts[-1][1]) == graphs  # ... and the graphs folder separately
    checkpoints = tmp_path / "runs"
    checkpoints.mkdir()
    fake.answers.append(checkpoints / "missing.pt")
    window.training.load_checkpoint()  # the file is not there: an error, but the folder counts
    fake.answers.append(checkpoints / "missing.pt")
    window.training.load_checkpoint()
    assert Path(fake.starts[-1][1]) == checkpoints
    fake.answers.append(exports / "curves.csv")
    window.training.export_csv()
    assert Path(fake.starts[-1][1]) == exports / "training.csv"  # plots go with the exports
    fake.answers.append(graphs / "lenet.json")
    window.files.open_file()
    assert Path(fake.starts[-1][1]) == graphs


def test_dialog_start_prefers_the_remembered_folder_then_the_graphs_own(tmp_path):
    from PySide6.QtCore import QSettings

    settings = QSettings()
    near = tmp_path / "near"
    near.mkdir()
    assert dialog_start(Folder.CHECKPOINTS, "a.pt", near, settings) == str(near / "a.pt")
    settings.setValue("folders/checkpoints", str(tmp_path))
    assert dialog_start(Folder.CHECKPOINTS, "a.pt", near, settings) == str(tmp_path / "a.pt")
    assert dialog_start(Folder.CHECKPOINTS, "a.pt", near, settings, near_first=True) == str(
        near / "a.pt"
    )
    settings.setValue("folders/checkpoints", str(tmp_path / "deleted since"))
    assert dialog_start(Folder.CHECKPOINTS, "", None, settings) == str(Path.home())
