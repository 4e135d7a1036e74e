"""Atomic writes keep a file's permissions and never leave a temp file behind."""

from __future__ import annotations

import os
import stat

from nodeml.core.fileio import atomic_write_text


def test_new_file_gets_the_usual_umask_mode(tmp_path):
    umask = os.umask(0o022)
    try:
        path = tmp_path / "g.json"
        atomic_write_text(path, "{}")
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    finally:
        os.umask(umask)


def test_overwrite_keeps_the_existing_mode(tmp_path):
    path = tmp_path / "g.json"
    path.write_text("old")
    os.chmod(path, 0o640)
    atomic_write_text(path, "new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["g.json"]


def test_moving_a_node_and_back_keeps_the_file_byte_identical(tmp_path):
    from nodeml.core.serialize import graph_to_json, load_graph

    text = (
        '{"format": "nodeml.graph", "version": 1, "name": "m", "nodes": '
        '[{"id": "x", "type": "Input", "params": {"shape": [1]}, "pos": [220, 0]}], "edges": []}'
    )
    path = tmp_path / "m.json"
    path.write_text(text)
    g = load_graph(path)
    before = graph_to_json(g)
    g.move("x", (300.5, 10.0))
    assert '"pos": [300.5, 10]' in graph_to_json(g)
    g.move("x", (220, 0))
    assert graph_to_json(g) == before


# A child that starts saving PATH and stops inside the write, before its temp file replaces PATH:
# killed there, it is a crash mid-save.
_STUCK_SAVER = """
import os, sys, threading
from nodeml.core.fileio import atomic_write_text
def stuck(fd):
    print(os.readlink(f"/proc/self/fd/{fd}"), flush=True)
    threading.Event().wait()
os.fsync = stuck
atomic_write_text(sys.argv[1], "from the saver that never finished")
"""


class StuckSaver:
    def __init__(self, path):
        import subprocess
        import sys
        from pathlib import Path

        root = Path(__file__).resolve().parents[2]
        env = dict(os.environ, PYTHONPATH=str(root))
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _STUCK_SAVER, str(path)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.tmp = Path(self.proc.stdout.readline().strip())  # written, not yet renamed

    def kill(self):
        import signal

        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


def test_a_temp_file_left_by_a_killed_save_is_removed_by_the_next_save(tmp_path):
    path = tmp_path / "g.json"
    path.write_text("old")
    saver = StuckSaver(path)
    try:
        assert saver.tmp.parent == tmp_path and saver.tmp.name.startswith(".g.json.")
        assert stat.S_IMODE(saver.tmp.stat().st_mode) == 0o600
        # while its writer lives, another save leaves it alone
        atomic_write_text(path, "second")
        assert saver.tmp.exists() and path.read_text() == "second"
    finally:
        saver.kill()
    assert saver.tmp.exists()  # kill -9: nobody cleaned up
    atomic_write_text(path, "third")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.json"]
    assert path.read_text() == "third"


def test_cleaning_up_touches_only_our_own_temp_files_of_that_file(tmp_path):
    from nodeml.core.fileio import remove_stale_temps

    path = tmp_path / "g.json"
    saver = StuckSaver(path)
    saver.kill()
    others = [
        tmp_path / ".g.json.swp",  # an editor's
        tmp_path / ".g.json.notours.tmp",
        tmp_path / ".h.json.nodeml-abcdefgh.tmp",  # another graph's: cleaned when it is saved
    ]
    for p in others:
        p.write_text("x")
    old_style = tmp_path / ".g.json.k3j9x0ab.tmp"  # as versions before the tag named them
    old_style.write_text("x")
    assert sorted(remove_stale_temps(path)) == sorted([saver.tmp, old_style])
    assert sorted(tmp_path.iterdir()) == sorted(others)
