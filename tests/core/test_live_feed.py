"""A run's live feed: events.jsonl for followers (the app, a second terminal), control for Stop."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from nodeml.cli import main
from nodeml.core.errors import Problem, Severity
from nodeml.core.training.datasets import DatasetInfo
from nodeml.core.training.events import EpochEnded, Finished, RunStarted, StateChanged, StepEnded
from nodeml.core.training.live import (
    Command,
    ControlWatcher,
    ErrorReport,
    EventLog,
    EventReader,
    RunFailed,
    Steps,
    decode,
    encode,
    send_command,
)
from nodeml.core.training.node_health import HealthKind, HealthWarning, NodeStats, NodeStatsSampled
from nodeml.core.training.run_folder import check_new_run_folder

INFO = DatasetInfo("csv", "classification", (4,), "float32", 3, classes=("a", "b", "c"))


def write_graph(path: Path, training: dict, shape: list[int] | None = None) -> Path:
    path.write_text(
        json.dumps(
            {
                "format": "nodeml.graph",
                "version": 1,
                "name": "line",
                "nodes": [
                    {"id": "x", "type": "Input", "params": {"shape": shape or [1]}},
                    {"id": "fc", "type": "Linear", "params": {"out_features": 1}},
                    {"id": "out", "type": "Output"},
                ],
                "edges": [{"source": "x", "target": "fc"}, {"source": "fc", "target": "out"}],
                "training": training,
            }
        )
    )
    return path


@pytest.mark.parametrize(
    "event",
    [
        RunStarted(5, 0, 10, "cpu", "CPU", "classification", "cross_entropy", "accuracy", INFO),
        Steps([1, 2], [0.5, 0.25], [1e-3, 1e-3], StepEnded(0, 2, 2, 10, 0.25, 1e-3, 100.0, 9.0)),
        EpochEnded(
            0, 10, {"loss": 0.3}, {"loss": 0.4, "accuracy": 0.9}, 1e-3, 80.0, 1.5, 6.0, True
        ),
        StateChanged("paused"),
        Finished("stopped", 1, 10, [{"epoch": 1, "train_loss": 0.3}]),
        RunFailed(
            ErrorReport(
                "dataset csv gives ...",
                "InputMismatchError",
                "x",
                "shape",
                [Problem("dataset", "set its shape to [4]", node="x", field="shape")],
                info=INFO,
            )
        ),
        NodeStatsSampled(0, 1, {"fc": NodeStats(0.1, 0.2, 0.0, 1.5, 2.0, 1e-3)}),
        HealthWarning(HealthKind.DEAD_UNITS, "relu1", 0, "96 % zeros"),
    ],
)
def test_every_event_survives_the_trip_through_json(event):
    line = json.dumps(encode(event))
    assert decode(json.loads(line)) == event


def test_a_reader_sees_whole_lines_only_and_each_once(tmp_path):
    path = tmp_path / "events.jsonl"
    reader = EventReader(path)
    assert reader.read() == []  # nothing written yet is no error
    whole = json.dumps(encode(StateChanged("running")))
    path.write_text(whole + "\n" + whole[:10])  # a second line still being written
    assert reader.read() == [StateChanged("running")]
    with open(path, "a") as f:
        f.write(whole[10:] + "\n")
    assert reader.read() == [StateChanged("running")]
    assert reader.read() == []


def test_steps_are_gathered_into_few_lines(tmp_path):
    log = EventLog(tmp_path / "events.jsonl", flush_s=3600)
    for step in range(1, 101):
        log._on_step(StepEnded(0, step, step, 100, 1.0 / step, 1e-3, 50.0, 1.0))
    log.write(StateChanged("paused"))  # any other event takes the steps with it, in order
    log.close()
    events = EventReader(tmp_path / "events.jsonl").read()
    assert [type(e).__name__ for e in events] == ["Steps", "StateChanged"]
    assert events[0].steps == list(range(1, 101)) and events[0].last.step == 100


def test_nodeml_train_writes_the_live_feed_of_its_run(tmp_path):
    graph = write_graph(tmp_path / "line.json", {"dataset": "linear1d", "epochs": 3})
    assert main(["train", str(graph), "--out", str(tmp_path / "run")]) == 0
    events = EventReader(tmp_path / "run" / "events.jsonl").read()
    kinds = [type(e).__name__ for e in events]
    assert kinds[0] == "RunStarted" and kinds[-1] == "Finished"
    assert kinds.count("EpochEnded") == 3 and "Steps" in kinds
    assert events[-1].reason == "completed"
    steps = [s for e in events if isinstance(e, Steps) for s in e.steps]
    assert steps == sorted(steps) and steps[-1] == events[-1].step


def test_a_run_that_cannot_start_says_why_to_its_followers(tmp_path):
    # linear1d gives (N, 1) samples; this Input wants 3 features
    graph = write_graph(tmp_path / "line.json", {"dataset": "linear1d"}, shape=[3])
    assert main(["train", str(graph), "--out", str(tmp_path / "run")]) == 1
    [failed] = EventReader(tmp_path / "run" / "events.jsonl").read()
    report = failed.error
    assert isinstance(failed, RunFailed) and report.kind == "InputMismatchError"
    assert report.node == "x" and report.field == "shape" and not report.internal
    assert report.problems and report.info is not None and report.info.sample_shape == (1,)
    assert report.problems[0].severity is Severity.ERROR  # the enum survives the JSON


def test_the_control_file_stops_a_run_after_the_current_batch(tmp_path):
    graph = write_graph(tmp_path / "line.json", {"dataset": "linear1d", "epochs": 100_000})
    run = tmp_path / "run"
    codes: list[int] = []
    worker = threading.Thread(
        target=lambda: codes.append(main(["train", str(graph), "--out", str(run)]))
    )
    worker.start()
    reader = EventReader(run / "events.jsonl")
    seen: list = []
    deadline = time.monotonic() + 120
    while not any(isinstance(e, EpochEnded) for e in seen) and time.monotonic() < deadline:
        seen += reader.read()
        time.sleep(0.02)
    send_command(run, Command.STOP)
    worker.join(timeout=120)
    assert not worker.is_alive() and codes == [0]
    finished = [e for e in seen + reader.read() if isinstance(e, Finished)]
    assert finished and finished[0].reason == "stopped" and finished[0].epochs_done < 100_000


def test_a_command_left_from_before_is_not_obeyed(tmp_path):
    send_command(tmp_path, Command.STOP)
    got: list[Command] = []
    watcher = ControlWatcher(tmp_path / "control", got.append, poll_s=3600)
    watcher.check()
    assert got == []  # a stale stop never ends a new run
    send_command(tmp_path, Command.PAUSE)
    watcher.check()
    send_command(tmp_path, Command.RESUME)
    watcher.check()
    (tmp_path / "control").write_text("explode\n")
    watcher.check()
    assert got == [Command.PAUSE, Command.RESUME]


def test_a_folder_holding_only_a_live_feed_is_still_new(tmp_path):
    (tmp_path / "events.jsonl").write_text("")
    send_command(tmp_path, Command.STOP)
    assert check_new_run_folder(tmp_path, "") == tmp_path
