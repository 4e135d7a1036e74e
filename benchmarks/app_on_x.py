"""The app on a real X screen against ``nodeml train``: the same graph trained by F5 and by the CLI.

What a user does: ``nodeml GRAPH`` on an X display (Xvfb here), a click on the canvas, F5, the
run trains in the app's worker while the window shows its curves; then ``nodeml train GRAPH``.
Each side's epoch seconds come from its run folder's ``metrics.csv`` (training time of each epoch,
so start-up and the dataset's loading are not counted). Rounds interleaved (app, cli / cli, app);
per round the ratio is cli seconds / app seconds over the epochs (1.0: the app trains as fast),
printed with and without epoch 1; then best and median.

Needs ``Xvfb`` and ``xdotool`` (apt-get install xvfb xdotool). Default: sample_graphs/lenet.json
(its own training section), 5 rounds::

    python benchmarks/app_on_x.py [--graph G] [--rounds N] [--epochs E]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISPLAY = ":93"


def epoch_seconds(run_dir: Path) -> list[float]:
    with open(run_dir / "metrics.csv", newline="") as f:
        return [float(row["seconds"]) for row in csv.DictReader(f)]


def new_run(folder: Path, before: set[Path]) -> Path | None:
    runs = set((folder / "runs").glob("*/")) if (folder / "runs").is_dir() else set()
    fresh = sorted(runs - before)
    return fresh[0] if fresh else None


def ended(run_dir: Path) -> bool:
    try:
        status = json.loads((run_dir / "run.json").read_text())["status"]
    except (OSError, ValueError, KeyError):
        return False
    return status in ("finished", "failed", "stopped")


def xdotool(*args: str) -> str:
    env = dict(os.environ, DISPLAY=DISPLAY)
    done = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True)
    return done.stdout.strip()


def run_app(graph: Path, nodeml: list[str], timeout: float = 600) -> Path:
    folder = graph.parent
    before = set((folder / "runs").glob("*/")) if (folder / "runs").is_dir() else set()
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["DISPLAY"] = DISPLAY
    app = subprocess.Popen([*nodeml, str(graph)], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        run = None
        deadline = time.monotonic() + 120
        while run is None and time.monotonic() < deadline:  # the window is up when F5 is heard
            time.sleep(2)
            window = xdotool("search", "--onlyvisible", "--pid", str(app.pid)).splitlines()
            if not window:
                continue
            xdotool("windowsize", window[-1], "1600", "1000")
            xdotool("mousemove", "700", "450", "click", "1")  # the canvas: focus
            xdotool("key", "F5")
            for _ in range(20):
                time.sleep(0.25)
                run = new_run(folder, before)
                if run is not None:
                    break
        if run is None:
            raise SystemExit("the app did not start a run on F5 within 120 s")
        deadline = time.monotonic() + timeout
        while not ended(run):
            if time.monotonic() > deadline:
                raise SystemExit(f"the app's run {run} did not end in {timeout:.0f} s")
            time.sleep(0.5)
        return run
    finally:
        app.terminate()
        app.wait(30)


def run_cli(graph: Path, nodeml: list[str]) -> Path:
    out = graph.parent / "runs" / f"cli-{time.time_ns()}"
    subprocess.run([*nodeml, "train", str(graph), "--out", str(out)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, default=ROOT / "sample_graphs" / "lenet.json")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--epochs", type=int, help="instead of the graph's own")
    args = parser.parse_args()
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (apt-get install xvfb xdotool)")
    nodeml = [sys.executable, "-m", "nodeml"]
    xvfb = subprocess.Popen(["Xvfb", DISPLAY, "-screen", "0", "1600x1000x24"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    time.sleep(1)
    work = Path(tempfile.mkdtemp(prefix="nodeml-app-on-x-"))
    graphs = {}
    for side in ("app", "cli"):
        data = json.loads(args.graph.read_text())
        if args.epochs:
            data.setdefault("training", {})["epochs"] = args.epochs
        (work / side).mkdir()
        graphs[side] = work / side / args.graph.name
        graphs[side].write_text(json.dumps(data))
    ratios, ratios_late = [], []
    try:
        for r in range(args.rounds):
            seconds = {}
            for side in ("app", "cli") if r % 2 == 0 else ("cli", "app"):
                load = os.getloadavg()[0]
                run = (run_app if side == "app" else run_cli)(graphs[side], nodeml)
                seconds[side] = epoch_seconds(run)
                shown = " ".join(f"{s:.2f}" for s in seconds[side])
                print(f"round {r + 1} {side}: epochs {shown} s (load {load:.2f})", flush=True)
            app, cli = seconds["app"], seconds["cli"]
            ratios.append(sum(cli) / sum(app))
            ratios_late.append(sum(cli[1:]) / sum(app[1:]) if len(app) > 1 else ratios[-1])
            print(f"round {r + 1}: app/cli {ratios[-1]:.3f} (without epoch 1: "
                  f"{ratios_late[-1]:.3f})", flush=True)  # fmt: skip
    finally:
        xvfb.terminate()
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{args.graph.name}, {args.rounds} rounds: app/cli speed best {max(ratios):.3f}, "
          f"median {statistics.median(ratios):.3f}; without epoch 1 best {max(ratios_late):.3f}, "
          f"median {statistics.median(ratios_late):.3f}  (goal >= 0.95)")  # fmt: skip


if __name__ == "__main__":
    main()
