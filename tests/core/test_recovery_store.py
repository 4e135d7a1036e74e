"""Recovery copies on disk: a copy is dead once its writer's process has gone (however it went),
live while it runs, and each is restored by one window only."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from nodeml.core.graph import Graph, Node
from nodeml.core.recovery import (
    RecoverySlot,
    RecoveryTaken,
    dead_copies,
    live_copies,
    read_copy,
    same_file,
    tidy,
)

ROOT = Path(__file__).resolve().parents[2]

# Writes a copy of a one-node graph that is a copy of argv[2], says so, then waits to be killed.
_WRITER = """
import sys, threading
from pathlib import Path
from nodeml.core.graph import Graph, Node
from nodeml.core.recovery import RecoverySlot
g = Graph("child")
g.add_node(Node("x", "ReLU", {}, None))
slot = RecoverySlot(Path(sys.argv[1]))
slot.write(g, Path(sys.argv[2]))
print(slot.file, flush=True)
threading.Event().wait()
"""


@pytest.fixture
def child_copy(tmp_path):
    """A copy written by another process, which lives until ``kill()``."""

    class Child:
        def __init__(self):
            self.proc = subprocess.Popen(
                [sys.executable, "-c", _WRITER, str(tmp_path / "rec"), str(tmp_path / "g.json")],
                stdout=subprocess.PIPE,
                text=True,
                env=dict(os.environ, PYTHONPATH=str(ROOT)),
            )
            self.file = Path(self.proc.stdout.readline().strip())

        def kill(self):
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    child = Child()
    yield child
    if child.proc.poll() is None:
        child.kill()


def graph(n: int) -> Graph:
    g = Graph("m")
    for i in range(n):
        g.add_node(Node(f"r{i}", "ReLU", {}, None))
    return g


def test_another_process_copy_is_live_until_it_is_killed(tmp_path, child_copy):
    folder, path = tmp_path / "rec", tmp_path / "g.json"
    assert child_copy.file.parent == folder
    assert dead_copies(folder) == []
    assert [c.file for c in live_copies(folder, path)] == [child_copy.file]
    tidy(folder)  # a tidy-up while it lives removes nothing of it
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [child_copy.file.name, child_copy.file.with_suffix(".lock").name]
    )
    child_copy.kill()
    [dead] = dead_copies(folder)
    assert dead.file == child_copy.file and dead.path == path and len(dead.graph) == 1
    assert live_copies(folder, path) == []


def test_this_processes_own_copy_is_live(tmp_path):
    slot = RecoverySlot(tmp_path)
    slot.write(graph(2), tmp_path / "g.json")
    assert dead_copies(tmp_path) == []
    assert [c.file for c in live_copies(tmp_path, tmp_path / "g.json")] == [slot.file]
    slot.close()
    assert list(tmp_path.iterdir()) == []


def test_a_dead_copy_is_adopted_by_one_window_only(tmp_path, child_copy):
    child_copy.kill()
    [dead] = dead_copies(tmp_path / "rec")
    first, second = RecoverySlot(tmp_path / "rec"), RecoverySlot(tmp_path / "rec")
    first.adopt(dead)
    with pytest.raises(RecoveryTaken):
        second.adopt(dead)
    # now first's, and live: the dead session's lock went with it
    assert dead_copies(tmp_path / "rec") == []
    assert json.loads(first.file.read_text())["graph"]["nodes"][0]["id"] == "x"
    assert not dead.file.with_suffix(".lock").exists()


def test_copies_of_a_file_are_found_by_its_absolute_path(tmp_path, monkeypatch):
    (tmp_path / "models").mkdir()
    target = tmp_path / "models" / "g.json"
    target.write_text("{}")
    (tmp_path / "link").symlink_to(tmp_path / "models")
    monkeypatch.chdir(tmp_path / "models")
    slot = RecoverySlot(tmp_path / "rec")
    slot.write(graph(1), Path("g.json"))  # relative, as typed
    assert json.loads(slot.file.read_text())["path"] == str(target)
    assert same_file(tmp_path / "link" / "g.json", target)
    assert [c.file for c in live_copies(tmp_path / "rec", tmp_path / "link" / "g.json")] == [
        slot.file
    ]
    slot.close()


def test_tidy_removes_only_what_holds_no_work(tmp_path):
    folder = tmp_path
    (folder / "1-dead.lock").write_text("")  # its session died after discarding its copy
    (folder / ".2-half.lock.new").write_text("")  # died while making its lock
    (folder / ".3-x.json.nodeml-abcdefgh.tmp").write_text("")  # died mid-write
    (folder / "4-kept.lock").write_text("")
    (folder / "4-kept.json").write_text("{}")  # a dead copy: work, kept for the offer
    live = RecoverySlot(folder)
    live.write(graph(1), None)
    tidy(folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["4-kept.lock", "4-kept.json", live.file.name, f"{live.token}.lock"]
    )
    live.close()


def test_a_damaged_copy_is_reported_not_raised(tmp_path):
    bad = tmp_path / "5-bad.json"
    for text in ("", "[]", '{"format": "nodeml.recovery", "graph": {"format": "x"}}', "\xff"):
        bad.write_text(text, encoding="latin-1")
        copy = read_copy(bad)
        assert copy.graph is None and copy.problem and copy.title == "5-bad.json"
