"""Resuming under new settings: which changes a run takes (and how), which it cannot, and why."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import torch

from ..errors import TrainingError
from .config import TrainingConfig
from .optim import SchedulerPlan, make_scheduler
from .setting_changes import SettingChange, setting_changes

# What a run measures itself against: change one and its history and best.pt compare unlike
# things, so a resumed run keeps them. The text says what each one decides.
FIXED = {
    "dataset": "the data it trains on",
    "dataset_options": "the data it trains on",
    "val_split": "which samples it validates on",
    "seed": "its train/validation split and shuffle order",
    "normalize": "what its samples look like",
    "task": "what its loss measures",
    "loss": "what its loss measures",
}
_NEW_RUN = (
    "or start a new run from the checkpoint's weights instead of resuming it "
    "(nodeml train GRAPH --weights CKPT; in the app: Load checkpoint, then Train)"
)


class ResumeError(TrainingError):
    """The checkpoint cannot continue under these settings; ``refused`` lists the changes at fault."""

    def __init__(self, reasons: list[str], refused: list[SettingChange]):
        self.refused = refused
        super().__init__("\n".join(reasons))


@dataclass
class ResumePlan:
    """``notes`` say each honoured change ("resuming with lr 0.1 (the checkpoint trained with
    0.001)"); ``rebuild_schedule``: the learning-rate schedule must be rebuilt for the new settings."""

    changes: list[SettingChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    refused: list[SettingChange] = field(default_factory=list)
    rebuild_schedule: bool = False

    def check(self) -> None:
        if self.reasons:
            raise ResumeError(self.reasons, self.refused)


def plan_resume(
    saved: TrainingConfig,
    config: TrainingConfig,
    *,
    samples_done: int,
    samples: int,
    saved_world: int = 1,
    world: int = 1,
) -> ResumePlan:
    """Compare the checkpoint's settings with the ones asked for; ``samples_done`` of the epoch's
    ``samples`` were already trained when the checkpoint was taken (0: at an epoch's end) by
    ``saved_world`` processes; ``world`` processes continue."""
    plan = ResumePlan(changes=setting_changes(saved, config))
    mid_epoch = 0 < samples_done < samples
    for change in plan.changes:
        top = change.key.split(".")[0]
        old, new = change.shown()
        if top in FIXED:
            plan.refused.append(change)
            plan.reasons.append(
                f"cannot resume with {change.key} {new}: the checkpoint trained with {old}, and "
                f"{top} decides {FIXED[top]}. Set it back to {old}, {_NEW_RUN}"
            )
        elif top == "optimizer":
            plan.refused.append(change)
            plan.reasons.append(
                f"cannot resume {change.old}'s state with {change.new}: what {change.old} keeps "
                f"per weight has no {change.new} equivalent. Resume with optimizer {change.old}, "
                f"{_NEW_RUN}"
            )
        elif top == "shuffle" and mid_epoch:
            plan.refused.append(change)
            plan.reasons.append(
                f"cannot change shuffle in the middle of an epoch (the checkpoint stopped after "
                f"{samples_done} of {samples} samples): the rest of the epoch would come in another "
                f"order, repeating some samples and skipping others. Resume with shuffle {old}, "
                "or from a checkpoint taken at an epoch's end"
            )
        else:
            plan.notes.append(_honoured(change))
    if saved_world != world:
        plan.changes.append(SettingChange("processes", saved_world, world))
        plan.notes.append(_processes_note(saved_world, world, config.batch_size))
    moved = config.batch_size != saved.batch_size or saved_world != world
    if mid_epoch and moved:
        plan.notes.append(f"the epoch under way continues at sample {samples_done} of {samples}")
    old_key = schedule_key(saved, samples, saved_world)
    new_key = schedule_key(config, samples, world)
    plan.rebuild_schedule = old_key != new_key
    return plan


def _processes_note(saved_world: int, world: int, batch_size: int) -> str:
    def step(w: int) -> str:
        return f"{w} × {batch_size} samples" if w > 1 else f"{batch_size} samples"

    return (
        f"resuming with {world} process{'es' if world > 1 else ''} (the checkpoint trained with "
        f"{saved_world}): each step now trains on {step(world)} (before: {step(saved_world)}), "
        "and the processes' random draws (dropout) differ from an uninterrupted run"
    )


def _honoured(change: SettingChange) -> str:
    old, new = change.shown()
    if change.key == "epochs":
        return f"resuming with epochs {new} (the checkpoint's run asked for {old})"
    return f"resuming with {change.key} {new} (the checkpoint trained with {old})"


def epoch_steps(samples: int, batch_size: int, world: int = 1) -> int:
    """Optimizer steps in an epoch of ``samples`` shared by ``world`` processes (each trains its
    share, padded to the same length, in batches of ``batch_size``)."""
    return math.ceil(math.ceil(samples / world) / batch_size)


def schedule_key(c: TrainingConfig, samples: int, world: int = 1) -> tuple[Any, ...]:
    """Everything the optimizer's hyper-parameters and the learning-rate schedule depend on."""
    key: tuple[Any, ...] = (
        c.scheduler, c.lr, c.momentum, c.nesterov, c.weight_decay, c.betas, c.eps, c.alpha,
    )  # fmt: skip
    if c.scheduler == "step":
        return key + (c.step_size or max(1, c.epochs // 3), c.gamma)
    if c.scheduler == "cosine":
        return key + (c.t_max or c.epochs,)
    if c.scheduler == "onecycle":
        return key + (c.max_lr, c.epochs * epoch_steps(samples, c.batch_size, world))
    if c.scheduler == "plateau":
        return key + (c.factor, c.patience)
    return key


@dataclass
class ResumePoint:
    """Where a checkpoint left its run, as the Trainer continues it: counters, history, the
    epoch's metric totals so far (``partial``), the schedule to step and the plan's notes."""

    epoch: int
    step: int
    samples_in_epoch: int  # == the training samples: stopped before that epoch's validation
    batch_in_epoch: int
    history: list[dict[str, float]]
    best_loss: float
    partial: dict[str, float] | None
    shuffle_seed: int | None
    schedule: SchedulerPlan
    plan: ResumePlan


def resume_point(
    state: dict[str, Any],
    config: TrainingConfig,
    optimizer: torch.optim.Optimizer,
    scaler: torch.amp.GradScaler | None,
    schedule: SchedulerPlan,
    *,
    samples: int,
    world: int = 1,
) -> ResumePoint:
    """Load the checkpoint's optimizer (and AMP scaler) state into ``optimizer`` and ``scaler``
    and say where its run continues, ``world`` processes sharing ``samples`` per epoch. This
    run's settings decide; a change the run cannot take raises ResumeError."""
    saved = saved_config(state)
    done = samples_done(state, saved or config, samples)
    epoch, step = int(state.get("epoch", 0)), int(state.get("step", 0))
    plan = ResumePlan()
    if saved is not None:
        plan = plan_resume(
            saved, config, samples_done=done, samples=samples,
            saved_world=int(state.get("world_size", 1)), world=world,
        )  # fmt: skip
        plan.check()
    try:
        if state.get("optimizer") is not None:
            optimizer.load_state_dict(state["optimizer"])
        schedule = resumed_schedule(
            schedule, optimizer, config, saved, state.get("scheduler"), plan,
            epoch=epoch, step=step, samples_done=done, samples=samples, world=world,
        )  # fmt: skip
        if scaler is not None and state.get("scaler"):
            scaler.load_state_dict(state["scaler"])
    except (ValueError, KeyError, RuntimeError) as exc:
        raise TrainingError(
            f"the checkpoint's optimizer or scheduler state does not fit these settings ({exc}); "
            "resume with the optimizer and scheduler it was trained with"
        ) from None
    seed = state.get("shuffle_seed")
    return ResumePoint(
        epoch=epoch,
        step=step,
        samples_in_epoch=done,
        batch_in_epoch=int(state.get("batch_in_epoch", 0)) if done else 0,
        history=[dict(h) for h in state.get("history", [])],
        best_loss=float(state.get("best_loss", math.inf)),
        partial=state.get("partial") if done else None,
        shuffle_seed=int(seed) if seed is not None else None,
        schedule=schedule,
        plan=plan,
    )


def saved_config(state: dict[str, Any]) -> TrainingConfig | None:
    """The settings a checkpoint was trained with; None when it has none nodeml can read."""
    try:
        return TrainingConfig.from_dict(state["training"]) if state.get("training") else None
    except (TrainingError, TypeError, ValueError):
        return None


def samples_done(state: dict[str, Any], saved: TrainingConfig, samples: int) -> int:
    """Samples of the epoch under way a checkpoint had trained (== samples: all, not validated)."""
    done = state.get("samples_in_epoch")
    if not isinstance(done, int):  # older checkpoints counted batches of their batch size
        done = int(state.get("batch_in_epoch", 0)) * saved.batch_size
    return min(done, samples)


def resumed_schedule(
    current: SchedulerPlan,
    optimizer: torch.optim.Optimizer,
    config: TrainingConfig,
    saved: TrainingConfig | None,
    saved_schedule: dict[str, Any] | None,
    plan: ResumePlan,
    *,
    epoch: int,
    step: int,
    samples_done: int,
    samples: int,
    world: int = 1,
) -> SchedulerPlan:
    """The schedule to continue with: the checkpoint's own when the settings it depends on are
    unchanged (exactly as it was), else the new settings' schedule advanced to this point."""
    if not plan.rebuild_schedule or saved is None:
        current.load_state_dict(saved_schedule)
        return current
    total = step + steps_left(
        config, epoch=epoch, samples_done=samples_done, samples=samples, world=world
    )
    rebuilt = rebuild_schedule(
        optimizer, config, saved, saved_schedule,
        epochs_done=epoch, steps_done=step, total_steps=total,
        steps_per_epoch=epoch_steps(samples, config.batch_size, world),
    )  # fmt: skip
    if rebuilt.per_batch:
        plan.notes.append(f"the onecycle schedule now ends at step {total:,}")
    return rebuilt


def steps_left(
    config: TrainingConfig, *, epoch: int, samples_done: int, samples: int, world: int = 1
) -> int:
    """Optimizer steps still to take from this point to the last epoch, at the new batch size,
    by each of ``world`` processes."""
    per_epoch = epoch_steps(samples, config.batch_size, world)
    rest = (
        epoch_steps(samples - samples_done, config.batch_size, world) if samples_done else per_epoch
    )
    return rest + max(0, config.epochs - epoch - 1) * per_epoch


def rebuild_schedule(
    optimizer: torch.optim.Optimizer,
    config: TrainingConfig,
    saved: TrainingConfig,
    saved_schedule: dict[str, Any] | None,
    *,
    epochs_done: int,
    steps_done: int,
    total_steps: int,
    steps_per_epoch: int,
) -> SchedulerPlan:
    """The schedule the new settings give, advanced to where the checkpoint stopped.

    Call after loading the optimizer's state: its per-weight state (moments) is kept; its
    hyper-parameters become the new settings'. OneCycle is placed at step ``steps_done`` of a
    cycle ending at ``total_steps``; per-epoch schedules replay ``epochs_done`` epochs;
    ReduceLROnPlateau keeps the reductions it made (they depend on losses, not on steps)."""
    group = optimizer.param_groups[0]
    plateau_ratio = group["lr"] / saved.lr if saved.scheduler == "plateau" else 1.0
    for group in optimizer.param_groups:
        for key in ("initial_lr", "max_lr", "min_lr"):  # a scheduler's own bookkeeping
            group.pop(key, None)
        group["lr"] = config.lr
        for key, value in _hyper_parameters(config).items():
            if key in group:
                group[key] = value
    plan = make_scheduler(optimizer, config, steps_per_epoch, total_steps=total_steps)
    scheduler = plan.scheduler
    if scheduler is None:
        return plan
    with warnings.catch_warnings():  # "scheduler.step() before optimizer.step()": a replay
        warnings.simplefilter("ignore")
        if plan.per_batch:
            scheduler.last_epoch = steps_done - 1  # OneCycle's lr is a closed form of the step
            scheduler.step()  # type: ignore[call-arg]
        elif plan.needs_metric:
            if saved.scheduler == "plateau" and saved_schedule:
                scheduler.load_state_dict(saved_schedule)
                scheduler.factor, scheduler.patience = config.factor, config.patience  # type: ignore[union-attr]
                for group in optimizer.param_groups:
                    group["lr"] = config.lr * plateau_ratio
        else:
            for _ in range(epochs_done):
                scheduler.step()  # type: ignore[call-arg]
    return plan


def _hyper_parameters(c: TrainingConfig) -> dict[str, Any]:
    """What each torch optimizer keeps in its param groups, as the settings say (lr aside)."""
    return {
        "momentum": c.momentum,
        "nesterov": c.nesterov,
        "weight_decay": c.weight_decay,
        "betas": c.betas,
        "eps": c.eps,
        "alpha": c.alpha,
    }
