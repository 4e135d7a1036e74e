"""Test-session setup: the repository root is importable, so tests run without installing; and
hypothesis runs the same examples on every CI run, with no per-example time limit."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Hypothesis' deadline (200 ms per example) and its too_slow health check time the machine, not
# the code: on a loaded 2-core runner they failed tests that pass. Locally the examples still
# vary from run to run (and failures are replayed from .hypothesis/); with CI set (GitHub
# Actions, GitLab and most runners set it) every run draws the same examples, so a red CI is a
# real bug that reproduces, not a new random draw. (Hypothesis >= 6.100 picks a "ci" profile by
# itself on the runners it recognises; this says so for any runner that sets CI.)
settings.register_profile("nodeml", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "nodeml-ci", settings.get_profile("nodeml"), derandomize=True, database=None, print_blob=True
)
settings.load_profile("nodeml-ci" if os.environ.get("CI") else "nodeml")
