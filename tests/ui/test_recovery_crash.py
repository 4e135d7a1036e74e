"""Crash recovery with real app processes killed by SIGKILL (``kill -9``), as a crash leaves things:
the copy is offered whichever way the app is started again, is saved where it came from, and
one running copy of the app never takes another's."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest
from app_fixtures import LENET
from recovery_support import AppProcess

from nodeml.core.serialize import load_graph


@pytest.fixture
def apps(tmp_path):
    """Start app processes with ``apps(args, answer=..., cwd=...)``; all are ended afterwards."""
    started: list[AppProcess] = []
    home = tmp_path / "home"
    home.mkdir()

    def start(args: list[str], answer: str = "later", cwd: Path | None = None) -> AppProcess:
        started.append(AppProcess(home, args, answer, cwd))
        return started[-1]

    yield start
    for app in started:
        app.close()


@pytest.fixture
def work(tmp_path) -> Path:
    """A folder with a copy of the LeNet sample (14 nodes)."""
    folder = tmp_path / "work"
    folder.mkdir()
    shutil.copyfile(LENET, folder / "lenet.json")
    return folder


def copies_in(recovery_file: str) -> list[Path]:
    return sorted(Path(recovery_file).parent.glob("*.json"))


def test_relaunch_on_the_same_file_offers_the_copy_and_it_saves_where_it_came_from(
    apps, work, tmp_path
):
    graph = work / "lenet.json"
    first = apps(["lenet.json"], cwd=work)  # the path as typed, relative
    assert first.expect("ready")["nodes"] == 14
    first.ask("add 3", "added")
    copy = Path(first.ask("autosaved", "autosaved")["recovery_file"])
    assert json.loads(copy.read_text())["path"] == str(graph)  # absolute
    # nodeml's own folder, whatever started it (`python -m nodeml` made it "__main__.py")
    assert copy.parent == tmp_path / "home" / "data" / "nodeml" / "nodeml" / "recovery"
    first.kill()
    assert copy.exists()

    # `nodeml lenet.json` again, from the same folder: offered; "later" keeps the copy
    again = apps(["lenet.json"], cwd=work)
    ready = again.expect("ready")
    assert again.offers == [[{"title": "lenet.json", "path": str(graph), "file": str(copy),
                              "nodes": 17}]]  # fmt: skip
    assert ready["nodes"] == 14 and not ready["modified"] and copy.exists()
    assert again.quit() == 0
    assert copy.exists()  # a clean exit of a window that did not restore it leaves it

    # from another folder, with no file: restored, then Ctrl+S writes the original file
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    restoring = apps([], answer="restore", cwd=elsewhere)
    restored = restoring.expect("ready")
    assert [c["file"] for c in restoring.offers[0]] == [str(copy)]
    assert restored["nodes"] == 17 and restored["modified"] and restored["path"] == str(graph)
    assert "Restored the unsaved changes to lenet.json, autosaved today" in restored["status"]
    saved = restoring.ask("save", "saved")
    assert not saved["modified"]
    assert len(load_graph(graph)) == 17
    assert list(elsewhere.iterdir()) == []  # no new lenet.json where the app was started
    assert copies_in(saved["recovery_file"]) == []  # the dead copy was taken over, then saved
    assert restoring.quit() == 0


def test_running_copies_keep_their_own_recovery_files(apps, work):
    graph = str(work / "lenet.json")
    unedited = apps([graph])
    unedited.expect("ready")
    edited = apps([graph])
    edited.expect("ready")
    edited.ask("add 3", "added")
    theirs = Path(edited.ask("autosaved", "autosaved")["recovery_file"])
    written = theirs.read_bytes()
    # the unedited copy's autosave ticks leave the other's file alone
    unedited.ask("ticks 5", "ticked")
    assert theirs.read_bytes() == written
    edited.kill()
    unedited.ask("ticks 5", "ticked")
    assert theirs.read_bytes() == written  # still there after its owner died

    # File > Open of the same file in the running copy: offered there, Later keeps it
    opened = unedited.ask(f"open {graph}", "opened")
    assert [c["file"] for c in unedited.offers[-1]] == [str(theirs)]
    assert opened["nodes"] == 14 and theirs.exists()

    # now the unedited copy is edited too: its own file, live, next to the dead one
    unedited.ask("add 1", "added")
    mine = Path(unedited.ask("autosaved", "autosaved")["recovery_file"])
    assert mine != theirs and copies_in(str(mine)) == sorted([mine, theirs])

    # a third start offers the dead copy only, never the live one
    third = apps([graph])
    third.expect("ready")
    assert [[c["file"] for c in offer] for offer in third.offers] == [[str(theirs)]]
    assert third.quit() == 0
    assert mine.exists() and theirs.exists()


def test_a_save_killed_midway_leaves_no_temp_file_once_saved_again(apps, work):
    graph = work / "lenet.json"
    dying = apps([str(graph)])
    dying.expect("ready")
    dying.ask("add 1", "added")
    tmp = Path(dying.ask("hang-save", "saving")["tmp"])
    assert tmp.parent == work and tmp.name.startswith(".lenet.json.")
    assert stat.S_IMODE(tmp.stat().st_mode) == 0o600

    other = apps([str(graph)])
    other.expect("ready")
    other.ask("add 1", "added")
    other.ask("save", "saved")
    assert tmp.exists()  # a save still running in a live process keeps its temp file
    dying.kill()
    other.ask("add 1", "added")
    other.ask("save", "saved")
    assert not tmp.exists()
    assert sorted(p.name for p in work.iterdir()) == ["lenet.json"]
    assert len(load_graph(graph)) == 16
