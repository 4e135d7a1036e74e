"""Optimizers and learning-rate schedulers by name, built from a TrainingConfig."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import torch
from torch import nn

from .config import ConfigError, TrainingConfig


def make_optimizer(params: Iterable[nn.Parameter], config: TrainingConfig) -> torch.optim.Optimizer:
    params = [p for p in params if p.requires_grad]
    if not params:
        raise ConfigError(
            "optimizer",
            "the model has no trainable parameters; add a layer with weights or unfreeze one",
        )
    c = config
    if c.optimizer == "sgd":
        return torch.optim.SGD(
            params, lr=c.lr, momentum=c.momentum, nesterov=c.nesterov, weight_decay=c.weight_decay
        )
    if c.optimizer == "adam":
        return torch.optim.Adam(
            params, lr=c.lr, betas=c.betas, eps=c.eps, weight_decay=c.weight_decay
        )
    if c.optimizer == "adamw":
        return torch.optim.AdamW(
            params, lr=c.lr, betas=c.betas, eps=c.eps, weight_decay=c.weight_decay
        )
    if c.optimizer == "rmsprop":
        return torch.optim.RMSprop(
            params,
            lr=c.lr,
            alpha=c.alpha,
            eps=c.eps,
            momentum=c.momentum,
            weight_decay=c.weight_decay,
        )
    if c.optimizer == "adagrad":
        return torch.optim.Adagrad(params, lr=c.lr, eps=c.eps, weight_decay=c.weight_decay)
    raise KeyError(c.optimizer)  # pragma: no cover - config canonicalises names first


def optimizer_step(
    loss: torch.Tensor,
    optimizer: torch.optim.Optimizer,
    params: Iterable[nn.Parameter],
    grad_clip: float | None,
    scaler: torch.amp.GradScaler | None = None,
) -> None:
    """backward -> (clip the gradients' norm to ``grad_clip``) -> step, through AMP's ``scaler``
    when there is one (the gradients are unscaled before clipping)."""
    if scaler is not None:
        scaler.scale(loss).backward()
        if grad_clip is not None:
            scaler.unscale_(optimizer)
            nn.utils.clip_grad_norm_(params, grad_clip)
        scaler.step(optimizer)
        scaler.update()
    else:
        loss.backward()
        if grad_clip is not None:
            nn.utils.clip_grad_norm_(params, grad_clip)
        optimizer.step()


@dataclass
class SchedulerPlan:
    """A scheduler and when to step it: after every batch (OneCycle) or every epoch (the rest)."""

    scheduler: (
        torch.optim.lr_scheduler.LRScheduler | torch.optim.lr_scheduler.ReduceLROnPlateau | None
    )
    per_batch: bool = False
    needs_metric: bool = False

    def state_dict(self) -> dict | None:
        return None if self.scheduler is None else self.scheduler.state_dict()

    def load_state_dict(self, state: dict | None) -> None:
        if self.scheduler is not None and state is not None:
            self.scheduler.load_state_dict(state)


def make_scheduler(
    optimizer: torch.optim.Optimizer,
    config: TrainingConfig,
    steps_per_epoch: int,
    *,
    total_steps: int | None = None,
) -> SchedulerPlan:
    """Defaults scale with the run: StepLR decays 3 times, cosine spans every epoch. OneCycle spans
    ``total_steps`` (default: every epoch's steps; a resume at another batch size passes its own)."""
    c = config
    sched = torch.optim.lr_scheduler
    if c.scheduler == "none":
        return SchedulerPlan(None)
    if c.scheduler == "step":
        step_size = c.step_size or max(1, c.epochs // 3)
        return SchedulerPlan(sched.StepLR(optimizer, step_size=step_size, gamma=c.gamma))
    if c.scheduler == "cosine":
        return SchedulerPlan(sched.CosineAnnealingLR(optimizer, T_max=c.t_max or c.epochs))
    if c.scheduler == "onecycle":
        max_lr = c.max_lr if c.max_lr is not None else c.lr
        total = total_steps or c.epochs * max(1, steps_per_epoch)
        # cycling momentum would switch on momentum the user left at 0 (and Adagrad has none)
        cycle = "betas" in optimizer.defaults or optimizer.defaults.get("momentum", 0) > 0
        return SchedulerPlan(
            sched.OneCycleLR(optimizer, max_lr=max_lr, total_steps=total, cycle_momentum=cycle),
            per_batch=True,
        )
    if c.scheduler == "plateau":
        return SchedulerPlan(
            sched.ReduceLROnPlateau(optimizer, factor=c.factor, patience=c.patience),
            needs_metric=True,
        )
    raise KeyError(c.scheduler)  # pragma: no cover - config canonicalises names first
