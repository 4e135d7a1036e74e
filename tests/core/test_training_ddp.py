"""The Trainer under torchrun: each process its share of the (seed, epoch) order, metrics summed
over all, stop / pause agreed at one step, exact resume, a lost process ends the others."""

from __future__ import annotations

import io
import os
import threading
from typing import Any

import pytest
import torch
from ddp_support import RankFailed, run_ranks  # tests/core is on sys.path under pytest
from torch import nn

from nodeml.core.compile import compile_graph
from nodeml.core.serialize import graph_from_dict
from nodeml.core.training.config import TrainingConfig
from nodeml.core.training.datasets import load_dataset
from nodeml.core.training.loader import EpochSampler
from nodeml.core.training.process_group import join_process_group, torchrun_env
from nodeml.core.training.standardization import input_stats
from nodeml.core.training.trainer import Trainer

# 126 moons: 25 validate, 101 train; two processes take 51 each, the last one a repeat
SMALL = {"dataset": "moons", "dataset_options": {"n": 126}, "batch_size": 8, "seed": 3}
# 200 steps an epoch for each of two processes: a stop asked at step 3 lands mid-epoch
LONG = {"dataset": "moons", "dataset_options": {"n": 4000}, "batch_size": 8, "seed": 3}


def to_bytes(value: Any) -> bytes:
    buffer = io.BytesIO()
    torch.save(value, buffer)
    return buffer.getvalue()


def from_bytes(data: bytes) -> Any:
    return torch.load(io.BytesIO(data), weights_only=False)


def make_model(dropout: float = 0.0, settings: dict[str, Any] | None = None) -> nn.Module:
    """A plain two-layer net; with ``settings``, the same as nodeml compiles it from a graph
    trained with them (input standardisation buffers, class names)."""
    torch.manual_seed(0)
    if settings is None:
        return nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Dropout(dropout), nn.Linear(32, 2))
    nodes = [
        {"id": "x", "type": "Input", "params": {"shape": [2]}},
        {"id": "hidden", "type": "Linear", "params": {"out_features": 32}},
        {"id": "act", "type": "ReLU"},
        {"id": "head", "type": "Linear", "params": {"out_features": 2}},
        {"id": "out", "type": "Output"},
    ]
    ids = [n["id"] for n in nodes]
    edges = [{"source": a, "target": b} for a, b in zip(ids, ids[1:], strict=False)]
    graph = {"format": "nodeml.graph", "version": 1, "name": "Net", "nodes": nodes}
    return compile_graph(graph_from_dict({**graph, "edges": edges, "training": settings}))


def train(
    settings: dict[str, Any],
    *,
    dropout: float = 0.0,
    state: bytes | None = None,
    stop_at: int | None = None,
    pause_at: int | None = None,
    die_at: int | None = None,
    compiled: bool = False,
) -> bytes:
    """One process's part of a run (all of it without torchrun's variables); what it saw."""
    config = TrainingConfig.from_dict({"optimizer": "sgd", "lr": 0.1, **settings})
    env = torchrun_env()
    ranks = join_process_group(env, backend="gloo", device="cpu") if env else None
    data = load_dataset(config)
    model = make_model(dropout, config.to_dict() if compiled else None)
    trainer = Trainer(model, config, data, ranks=ranks)
    rank = trainer.ranks.rank
    if state is not None:
        trainer.load_state_dict(from_bytes(state))
    states: list[tuple[int, str]] = []
    trainer.state_changed.connect(lambda e: states.append((trainer.step, e.state)))
    if stop_at is not None and rank == 0:  # only the main process is asked
        trainer.step_ended.connect(lambda e: e.step == stop_at and trainer.stop())
    if pause_at is not None and rank == 0:
        trainer.step_ended.connect(lambda e: e.step == pause_at and trainer.pause())
        resume_later = threading.Timer(0.3, trainer.resume)
        trainer.state_changed.connect(lambda e: e.state == "paused" and resume_later.start())
    if die_at is not None and rank == 1:
        trainer.step_ended.connect(lambda e: e.step == die_at and os._exit(3))
    try:
        result = trainer.run()
    except Exception as exc:
        return to_bytes({"rank": rank, "error": f"{type(exc).__name__}: {exc}"})
    return to_bytes(
        {
            "rank": rank,
            "reason": result.reason,
            "step": trainer.step,
            "history": trainer.history,
            "states": states,
            "weights": trainer.model.state_dict(),
            "checkpoint": trainer.state_dict() if rank == 0 else None,
            "val": trainer.evaluate(data.val),
        }
    )


def in_two(**kwargs: Any) -> list[dict[str, Any]]:
    results = run_ranks(_train_kwargs, 2, kwargs)
    for result in results:
        assert not isinstance(result, RankFailed), result.text
    return [from_bytes(r) if r is not None else None for r in results]


def _train_kwargs(kwargs: dict[str, Any]) -> bytes:
    return train(**kwargs)


def alone(**kwargs: Any) -> dict[str, Any]:
    return from_bytes(train(**kwargs))


def equal_weights(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


# ---- the sampler ----------------------------------------------------------------------------------
@pytest.mark.parametrize("n, world", [(10, 2), (11, 2), (11, 3), (2, 3), (7, 4)])
def test_processes_share_one_epoch_order_padded_with_its_first_samples(n, world):
    whole = EpochSampler(n, shuffle=True, seed=5, epoch=2).order()
    shares = [
        EpochSampler(n, shuffle=True, seed=5, epoch=2, rank=r, world_size=world)
        for r in range(world)
    ]
    size = -(-n // world)
    assert [len(s) for s in shares] == [size] * world  # the same number of steps everywhere
    positions = torch.empty(size * world, dtype=torch.long)
    for r, share in enumerate(shares):
        positions[r::world] = share.indices()
    assert torch.equal(positions[:n], whole)  # position i*world + r: the one order, dealt out
    padding = positions[n:]  # DistributedSampler's: the epoch's first samples again
    assert torch.equal(padding, whole.repeat(world)[: len(padding)])
    assert sum(s.real() for s in shares) == n
    for share in shares:  # the repeats are each share's last samples
        assert share.real() in (size, size - 1)


@pytest.mark.parametrize("world", [1, 2, 3])
def test_a_share_resumed_part_way_continues_the_epoch_where_it_stopped(world):
    n, done = 23, 12  # 12 positions done, by any number of processes
    whole = EpochSampler(n, shuffle=True, seed=1, epoch=0).order()
    rest = [
        EpochSampler(n, shuffle=True, seed=1, epoch=0, start=done, rank=r, world_size=world)
        for r in range(world)
    ]
    real = torch.cat([s.indices()[: s.real()] for s in rest])
    assert sorted(real.tolist()) == sorted(whole[done:].tolist())  # each left sample once


def test_evaluation_shares_leave_no_sample_out_and_repeat_none():
    shares = [
        EpochSampler(11, shuffle=False, seed=0, epoch=0, rank=r, world_size=3, pad=False)
        for r in range(3)
    ]
    assert sorted(i for s in shares for i in s) == list(range(11))
    assert [len(s) for s in shares] == [4, 4, 3]


# ---- training in two processes ---------------------------------------------------------------
def test_two_processes_report_what_one_process_reports_over_the_same_samples():
    # lr so small the weights do not move: every sample's loss is the same in both runs, so the
    # epoch's mean over its 101 samples must be too (the repeated 102nd sample left out)
    settings = {**SMALL, "epochs": 1, "lr": 1e-12}
    one = alone(settings=settings)
    two = in_two(settings=settings)
    timeless = [
        [{k: v for k, v in row.items() if k != "seconds"} for row in r["history"]] for r in two
    ]
    assert timeless[0] == timeless[1]  # every process has the summed numbers
    for key in ("train_loss", "train_accuracy", "val_loss", "val_accuracy"):
        assert two[0]["history"][0][key] == pytest.approx(one["history"][0][key], rel=1e-6), key
    assert two[0]["val"] == pytest.approx(one["val"], rel=1e-6)
    assert two[0]["step"] == 7  # ceil(51 / 8) steps each, one process's 13


def test_two_processes_end_with_the_same_weights_and_a_checkpoint_without_prefix():
    two = in_two(settings={**SMALL, "epochs": 2}, dropout=0.3)
    assert equal_weights(two[0]["weights"], two[1]["weights"])
    checkpoint = two[0]["checkpoint"]
    assert checkpoint["world_size"] == 2 and len(checkpoint["rng_ranks"]) == 2
    make_model().load_state_dict(checkpoint["model"])  # no "module." keys: loads as it is
    initial = make_model().state_dict()
    assert not equal_weights(checkpoint["model"], initial)


def test_every_process_standardises_with_the_fit_of_the_whole_training_split():
    """Not a process's own share: the buffers a single process fits, the same in every one."""
    settings = {**SMALL, "epochs": 1, "normalize": True, "lr": 1e-12}
    two = in_two(settings=settings, compiled=True)
    config = TrainingConfig.from_dict({"optimizer": "sgd", "lr": 0.1, **settings})
    mean, std = input_stats(load_dataset(config).train, (2,))
    for result in two:
        torch.testing.assert_close(result["weights"]["x_mean"], mean)
        torch.testing.assert_close(result["weights"]["x_std"], std)
        assert result["weights"]["_extra_state"] == {"classes": ["upper", "lower"]}
    assert equal_weights(
        {k: v for k, v in two[0]["weights"].items() if k != "_extra_state"},
        {k: v for k, v in two[1]["weights"].items() if k != "_extra_state"},
    )
    one = alone(settings=settings, compiled=True)  # and the same numbers as one process reports
    assert two[0]["history"][0]["train_loss"] == pytest.approx(
        one["history"][0]["train_loss"], rel=1e-6
    )


def test_a_stop_asked_of_one_process_ends_every_process_at_the_same_step():
    two = in_two(settings={**LONG, "epochs": 3}, stop_at=3)
    assert [r["reason"] for r in two] == ["stopped", "stopped"]
    assert two[0]["step"] == two[1]["step"]
    assert 3 <= two[0]["step"] < 200  # within the first epoch, not at its end
    assert two[0]["states"] == two[1]["states"] == []


def test_a_pause_pauses_every_process_at_the_same_step_until_resumed():
    two = in_two(settings={**LONG, "epochs": 1}, pause_at=3)
    assert [r["reason"] for r in two] == ["completed", "completed"]
    paused = [r["states"] for r in two]
    assert paused[0] == paused[1]  # the same step, in both
    assert [state for _, state in paused[0]] == ["paused", "running"]
    assert 3 <= paused[0][0][0] < 200


def test_a_run_stopped_mid_epoch_resumes_exactly_with_as_many_processes():
    settings = {**LONG, "epochs": 2}
    whole = in_two(settings=settings, dropout=0.3)
    stopped = in_two(settings=settings, dropout=0.3, stop_at=3)
    checkpoint = stopped[0]["checkpoint"]
    assert 0 < checkpoint["samples_in_epoch"] < 3200 and checkpoint["partial"]
    resumed = in_two(settings=settings, dropout=0.3, state=to_bytes(checkpoint))
    assert equal_weights(resumed[0]["weights"], whole[0]["weights"])
    assert resumed[0]["history"][0]["train_loss"] == pytest.approx(
        whole[0]["history"][0]["train_loss"], rel=1e-9
    )  # the epoch's totals before the stop were carried over
    assert resumed[0]["step"] == whole[0]["step"]


def test_resuming_with_another_number_of_processes_continues_at_the_same_sample():
    settings = {**LONG, "epochs": 1}
    stopped = in_two(settings=settings, stop_at=3)
    checkpoint = stopped[0]["checkpoint"]
    done = checkpoint["samples_in_epoch"]
    resumed = alone(settings=settings, state=to_bytes(checkpoint))
    steps_left = -(-(3200 - done) // 8)  # one process takes every sample still to train
    assert resumed["step"] == checkpoint["step"] + steps_left
    assert resumed["history"][0]["epoch"] == 1


def test_a_process_that_dies_makes_the_others_fail_with_a_clear_error():
    results = run_ranks(_train_kwargs, 2, {"settings": {**LONG, "epochs": 2}, "die_at": 5})
    assert results[1] is None  # it died without a word
    main = from_bytes(results[0])
    assert main["error"].startswith("PeerLostError: another process of this run ended")
