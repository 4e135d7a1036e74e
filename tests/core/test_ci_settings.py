"""With CI set, property tests draw the same examples on every run: a red CI run reproduces."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_DRAW = """
import runpy
runpy.run_path("tests/conftest.py")  # what pytest loads first
from hypothesis import given, settings, strategies as st
seen = []
@given(st.lists(st.integers(), min_size=1))
def draw(xs):
    seen.append(xs)
draw()
print(settings.default.deadline, repr(seen))
"""


def _draws(ci: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    done = subprocess.run(
        [sys.executable, "-c", _DRAW],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ci_runs_draw_the_same_examples_every_time():
    first, second = _draws("true"), _draws("true")
    assert first == second and first.startswith("None ")  # and no per-example deadline


def test_local_runs_keep_drawing_new_examples_without_a_deadline():
    assert _draws(None).startswith("None ")
