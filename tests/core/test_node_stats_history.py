"""The per-node statistics history the app draws from: fed live, followed from a run folder as it
trains, or read from node_stats.csv (the same result); one run at a time, bounded on long runs,
each node's health by the core rules, bad files refused."""

from __future__ import annotations

import json
import math
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from nodeml.cli import main
from nodeml.core.training.live import decode, encode
from nodeml.core.training.node_health import STAT_NAMES, NodeStats, NodeStatsSampled
from nodeml.core.training.node_stats_follow import STATUS_EVERY_S, RunStatsFollower
from nodeml.core.training.node_stats_history import (
    CSV_COLUMNS,
    NodeHealth,
    NodeStatsFileError,
    NodeStatsHistory,
    read_node_stats,
)

MOONS = {
    "format": "nodeml.graph",
    "version": 1,
    "name": "moons",
    "nodes": [
        {"id": "x", "type": "Input", "params": {"shape": [2]}},
        {"id": "fc1", "type": "Linear", "params": {"out_features": 16}},
        {"id": "act", "type": "ReLU"},
        {"id": "fc2", "type": "Linear", "params": {"out_features": 2}},
        {"id": "y", "type": "Output"},
    ],
    "edges": [
        {"source": "x", "target": "fc1"},
        {"source": "fc1", "target": "act"},
        {"source": "act", "target": "fc2"},
        {"source": "fc2", "target": "y"},
    ],
    "training": {
        "dataset": "moons",
        "dataset_options": {"n": 600},
        "epochs": 3,
        "batch_size": 16,
    },
}


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    """``nodeml train`` in this process: a run folder with node_stats.csv and events.jsonl."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    folder = tmp_path_factory.mktemp("moons")
    graph = folder / "moons.json"
    graph.write_text(json.dumps(MOONS))
    assert main(["train", str(graph), "--out", str(folder / "run")]) == 0
    torch.set_num_threads(threads)
    return folder / "run"


def live_events(run: Path) -> list:
    lines = (run / "events.jsonl").read_text().splitlines()
    return [decode(json.loads(line)) for line in lines if line.strip()]


def sample(step: int, epoch: int = 0, **nodes: dict) -> NodeStatsSampled:
    return NodeStatsSampled(epoch, step, {n: NodeStats(**v) for n, v in nodes.items()})


def test_fed_live_or_read_from_the_csv_the_history_is_the_same(run):
    """The events the app follows (events.jsonl) and the run's node_stats.csv give the same
    series, steps, epochs and health; the csv keeps 6 significant digits."""
    live = NodeStatsHistory()
    live.set_node_types({n["id"]: n["type"] for n in MOONS["nodes"]})
    fed = live.feed_many(live_events(run))
    loaded = NodeStatsHistory()
    assert loaded.load_run(run) == fed >= 3  # at least every epoch's first step
    assert loaded.run == run and live.run is None
    assert loaded.nodes() == live.nodes() == ["x", "fc1", "act", "fc2"]
    assert loaded.relu_like == live.relu_like == {"act"}  # from the run's graph.json
    assert loaded.last_step == live.last_step and loaded.last_epoch == live.last_epoch == 2
    for node in live.nodes():
        for stat in STAT_NAMES:
            a, b = live.series(node, stat), loaded.series(node, stat)
            assert a.steps == b.steps
            for x, y in zip(a.values, b.values, strict=True):
                assert (math.isnan(x) and math.isnan(y)) or x == pytest.approx(y, rel=1e-5)
    assert loaded.health_by_node() == live.health_by_node()
    assert [(w.kind, w.node) for w in loaded.warnings()] == [
        (w.kind, w.node) for w in live.warnings()
    ]
    assert live.sparkline_stat("fc1") == "grad_norm" and live.sparkline_stat("act") == (
        "act_zero_frac"
    )


def test_the_csv_rows_of_one_step_are_one_sample_with_0_based_epochs(run):
    samples = list(read_node_stats(run / "node_stats.csv"))
    header = (run / "node_stats.csv").read_text().splitlines()[0]
    assert tuple(header.split(",")) == CSV_COLUMNS
    assert samples[0].step == 1 and samples[0].epoch == 0
    assert list(samples[0].nodes) == ["x", "fc1", "act", "fc2"]
    assert samples[0].nodes["fc1"].grad_norm > 0 and samples[0].nodes["x"].grad_norm is None
    assert {s.epoch for s in samples} == {0, 1, 2}


def test_memory_stays_bounded_and_recent_steps_keep_full_resolution():
    history = NodeStatsHistory(capacity=100)
    most = 0
    for step in range(1, 10_001):
        history.feed(sample(step, step // 1000, fc={"grad_norm": float(step)}))
        most = max(most, history.sample_count)
    assert most <= 100 and history.samples_seen == 10_000
    steps = history.series("fc", "grad_norm").steps
    assert steps[0] == 1  # the start of the run stays
    assert steps[-50:] == tuple(range(9951, 10_001))  # the recent half: every sample
    assert list(steps) == sorted(steps)
    values = history.series("fc", "grad_norm").values
    assert all(v == s for s, v in zip(steps, values, strict=True))  # thinned together


def test_a_node_seen_late_or_missing_from_a_sample_has_gaps():
    history = NodeStatsHistory()
    history.feed(sample(1, a={"act_mean": 1.0}))
    history.feed(sample(2, a={"act_mean": 2.0}, b={"act_mean": 5.0}))
    history.feed(sample(3, b={"act_mean": 6.0}))
    a, b = history.series("a", "act_mean"), history.series("b", "act_mean")
    assert a.steps == b.steps == (1, 2, 3)
    assert a.known() == [(1, 1.0), (2, 2.0)] and b.known() == [(2, 5.0), (3, 6.0)]
    assert history.latest("a") == NodeStats(act_mean=2.0)
    assert history.series("nobody", "act_mean").steps == ()


def test_health_follows_the_core_rules_node_by_node():
    history = NodeStatsHistory()
    history.set_node_types({"relu": "ReLU", "fc": "Linear"})
    assert history.health("fc") is NodeHealth.NO_DATA
    for step, grad in ((1, 1e-3), (11, 1e-2), (21, 5.0)):
        history.feed(
            sample(
                step,
                fc={"grad_norm": grad, "weight_norm": 1.0, "update_ratio": 1e-3},
                tiny={"grad_norm": 1e-9, "weight_norm": 1.0, "update_ratio": 1e-9},
                relu={"act_zero_frac": 0.97},
                big={"grad_norm": 0.1, "weight_norm": 1.0, "update_ratio": 0.5},
                ok={"grad_norm": 0.1, "weight_norm": 1.0, "update_ratio": 1e-3},
                silent={"act_zero_frac": 0.99},  # not ReLU-like: zeros are no warning
            )
        )
    assert history.health_by_node() == {
        "fc": NodeHealth.EXPLODING,  # 1e-3 -> 5.0: 5,000-fold
        "tiny": NodeHealth.VANISHING,
        "relu": NodeHealth.DEAD_UNITS,
        "big": NodeHealth.UPDATE_RATIO,
        "ok": NodeHealth.HEALTHY,
        "silent": NodeHealth.HEALTHY,
    }
    assert history.health("not in the run") is NodeHealth.NO_DATA
    assert [w.node for w in history.warnings("relu")] == ["relu"]
    assert "exactly zero" in history.warnings("relu")[0].message


def test_a_new_epoch_is_judged_on_its_own_samples_once_it_has_enough():
    history = NodeStatsHistory()
    for step in (1, 2, 3):
        history.feed(sample(step, 0, fc={"grad_norm": 5e-8}))
    assert history.health("fc") is NodeHealth.VANISHING
    history.feed(sample(4, 1, fc={"grad_norm": 1e-6}))  # too few of epoch 1: the last three
    assert history.health("fc") is NodeHealth.HEALTHY  # one sample above 1e-7 breaks "every"
    history.feed(sample(5, 1, fc={"grad_norm": 5e-8}))
    history.feed(sample(6, 1, fc={"grad_norm": 5e-8}))
    assert history.health("fc") is NodeHealth.HEALTHY  # epoch 1 so far: not all below
    history.feed(sample(7, 2, fc={"grad_norm": 5e-8}))
    assert history.health("fc") is NodeHealth.VANISHING  # steps 5-7


def test_changed_is_emitted_and_only_samples_count():
    history = NodeStatsHistory()
    seen = []
    history.changed.connect(lambda h: seen.append(h.version))
    assert history.feed("not an event") is False and seen == []
    assert history.feed(sample(1, fc={"grad_norm": 1.0})) is True
    history.clear()
    assert seen == [1, 2] and history.empty and history.nodes() == []


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("epoch,step,node,act_mean\n", "line 1: no column act_std, act_zero_frac, grad_norm"),
        (",".join(CSV_COLUMNS) + "\n1,1,fc,0.5,1,0,abc,1,0.001\n", "line 2, column grad_norm"),
        (",".join(CSV_COLUMNS) + "\n1,1,fc,0.5\n", "line 2: 4 cells where the header has 9"),
        (",".join(CSV_COLUMNS) + "\nfirst,1,fc,,,,,,\n", "line 2, column epoch: 'first'"),
        (",".join(CSV_COLUMNS) + "\n0,1,fc,,,,,,\n", "line 2, column epoch: 0 is below 1"),
        (b"\xff\xfe\x00\xd8", "cannot read"),  # not UTF-8
    ],
)
def test_a_bad_file_is_refused_naming_where_and_what_was_shown_stays(tmp_path, text, said):
    history = NodeStatsHistory()
    history.feed(sample(1, fc={"grad_norm": 1.0}))
    (tmp_path / "node_stats.csv").write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(NodeStatsFileError, match="node_stats.csv") as caught:
        history.load_run(tmp_path)
    assert said in str(caught.value)
    assert history.nodes() == ["fc"] and history.run is None


def test_a_run_without_node_stats_says_so(tmp_path):
    with pytest.raises(NodeStatsFileError, match="no node_stats.csv.*--no-node-stats"):
        NodeStatsHistory().load_run(tmp_path)


def test_nan_and_inf_are_read_as_numbers_and_judged_exploding(tmp_path):
    rows = [",".join(CSV_COLUMNS)] + [
        f"1,{s},fc,,,,{g},1,0.001" for s, g in ((1, "0.1"), (2, "inf"), (3, "nan"))
    ]
    (tmp_path / "node_stats.csv").write_text("\n".join(rows) + "\n")
    history = NodeStatsHistory()
    assert history.load_run(tmp_path) == 3
    assert history.health("fc") is NodeHealth.EXPLODING


# ---- live: one run at a time, and following a run folder as it trains -----------------------------
def test_a_live_run_is_never_mixed_with_what_was_shown_before(run):
    history = NodeStatsHistory()
    history.load_run(run)
    assert history.run == run and not history.live and history.run_name == "moons #1"
    history.feed(sample(5, fc={"grad_norm": 1.0}))  # another run's first sample, unannounced
    assert history.nodes() == ["fc"] and history.run is None and history.live
    history.feed(sample(9, fc={"grad_norm": 2.0}))
    history.feed(sample(1, fc={"grad_norm": 3.0}))  # steps went back: a new run began
    assert history.series("fc", "grad_norm").values == (3.0,)
    history.begin_live(run, {"act": "ReLU"})
    assert history.empty and history.live and history.run == run
    assert history.relu_like == {"act"} and history.run_name == "moons #1"
    history.feed(sample(1, act={"act_zero_frac": 0.5}))
    assert history.run == run  # announced with its folder: the folder stays named
    history.end_live()
    assert not history.live and history.nodes() == ["act"]  # what it sampled stays shown
    history.feed(sample(1, other={"act_mean": 0.0}))  # after it ended: the next run
    assert history.nodes() == ["other"] and history.run is None


def test_inf_and_nan_statistics_travel_through_the_live_feed():
    event = sample(3, fc={"grad_norm": math.inf, "act_mean": math.nan, "weight_norm": 1.0})
    line = json.dumps(encode(event))
    assert "Infinity" not in line and "NaN" not in line  # plain JSON for any reader
    back = decode(json.loads(line))
    stats = back.nodes["fc"]
    assert stats.grad_norm == math.inf and math.isnan(stats.act_mean)
    assert stats.weight_norm == 1.0 and stats.update_ratio is None
    bad = json.loads(line)
    bad["nodes"]["fc"]["grad_norm"] = "lots"
    with pytest.raises(ValueError, match="not a nodeml live event"):
        decode(bad)


def copy_run_without_feed(run: Path, to: Path) -> list[str]:
    """A copy of ``run`` whose events.jsonl has not been written yet; returns its lines."""
    to.mkdir()
    for name in ("run.json", "graph.json"):
        (to / name).write_bytes((run / name).read_bytes())
    return (run / "events.jsonl").read_text().splitlines(keepends=True)


def test_following_a_run_as_it_writes_its_feed_shows_what_its_csv_holds(run, tmp_path):
    lines = copy_run_without_feed(run, tmp_path / "run")
    history = NodeStatsHistory()
    follower = RunStatsFollower(history, tmp_path / "run")
    assert history.live and history.run == tmp_path / "run" and history.empty
    assert history.relu_like == {"act"}  # from the run's graph.json
    assert follower.poll() == 0  # nothing written yet
    text = "".join(lines)
    fed, seen = 0, []
    with open(tmp_path / "run" / "events.jsonl", "w") as feed:
        for start in range(0, len(text), 997):  # cut anywhere, also inside a line
            feed.write(text[start : start + 997])
            feed.flush()
            fed += follower.poll()
            seen.append(history.samples_seen)
    assert seen == sorted(seen) and len(set(seen)) > 2  # it grew as the feed grew
    assert follower.over and not history.live  # the feed said Finished
    assert follower.poll() == 0
    loaded = NodeStatsHistory()
    assert loaded.load_run(run) == fed == history.samples_seen
    for node in loaded.nodes():
        for stat in STAT_NAMES:
            assert history.series(node, stat).steps == loaded.series(node, stat).steps
    assert history.health_by_node() == loaded.health_by_node()


def test_a_run_whose_process_died_without_a_word_ends_the_following(run, tmp_path):
    lines = copy_run_without_feed(run, tmp_path / "run")
    manifest = json.loads((run / "run.json").read_text())
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a pid that no longer runs
    manifest.update(status="running", pid=dead.pid, host=socket.gethostname(), ended=None)
    (tmp_path / "run" / "run.json").write_text(json.dumps(manifest))
    body = [line for line in lines if '"Finished"' not in line]
    (tmp_path / "run" / "events.jsonl").write_text("".join(body))
    now = [0.0]
    history = NodeStatsHistory()
    follower = RunStatsFollower(history, tmp_path / "run", clock=lambda: now[0])
    assert follower.poll() > 0 and not follower.over  # it read what there was
    now[0] = STATUS_EVERY_S / 2
    follower.poll()
    assert not follower.over and history.live  # a quiet feed is not yet an ended run
    now[0] = STATUS_EVERY_S + 1
    follower.poll()
    assert follower.over and not history.live and not history.empty
