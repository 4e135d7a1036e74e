"""The Trainer: the plain PyTorch training loop, emitting events, with cooperative pause / resume / stop."""

from __future__ import annotations

import contextlib
import math
import random
import threading
import time
from typing import Any

import torch
from torch import nn

from ..checkpoint import load_model_state, rng_state, set_rng_state
from ..errors import TrainingError
from ..events import Signal
from . import events
from .config import TrainingConfig
from .datasets import LoadedData, first_samples, load_dataset
from .device import device_name, resolve_device, seed_everything
from .events import EpochEnded, Failed, Finished, RunStarted, StateChanged, StepEnded
from .faults import (
    ForwardError,
    LossError,
    NonFiniteLossError,
    OutOfMemoryError,
    StepError,
    node_of_error,
)
from .loader import make_loader
from .losses import is_reconstruction, loss_target, make_loss
from .metrics import PRIMARY, MetricTotals
from .optim import make_optimizer, make_scheduler, optimizer_step
from .preflight import output_problem, task_and_loss
from .preparation import (
    check_memory,
    class_names,
    pick_output,
    prepare_model,
    standardization_note,
    trained_output,
)
from .process_group import ProcessGroup, RankSnapshot, SingleProcess, rank_rng
from .resumption import epoch_steps, resume_point
from .setting_changes import SettingChange
from .standardization import standardization_buffers

_NO_AUTOCAST = contextlib.nullcontext()  # reusable; built once rather than per batch


class Trainer:
    """Trains ``model`` as configured. Call ``run()`` on the thread that should do the work (the UI
    uses a QThread); ``pause()``, ``resume()`` and ``stop()`` may be called from any thread and
    take effect after the current batch.

    ``graph`` is the graph file's JSON dict, kept in checkpoints so a run can be reopened.
    ``ranks``: this process's place in a torchrun job (nodeml.core.training.process_group), when
    it is one of several: each trains its share of every epoch under DistributedDataParallel,
    metrics are summed over all of them, and stop / pause take effect in all at the same step.
    """

    def __init__(
        self,
        model: nn.Module,
        config: TrainingConfig,
        data: LoadedData | None = None,
        *,
        graph: dict[str, Any] | None = None,
        ranks: ProcessGroup | SingleProcess | None = None,
    ):
        self.config = config
        self.ranks = ranks or SingleProcess()
        self.data = data if data is not None else load_dataset(config)
        self.graph = graph
        info = self.data.info
        self.task, self.loss_name = task_and_loss(config, info)
        self.reconstruct = is_reconstruction(config, info.task)
        self.metric = PRIMARY[self.task]
        self.device = self.ranks.device or resolve_device(config.device)
        self.notes: list[str] = list(info.notes)  # how the dataset was read, where it chose
        self.use_amp = config.amp and self.device.type == "cuda"
        if config.amp and not self.use_amp:
            self.notes.append(
                f"amp needs a CUDA GPU; training in full precision on {self.device.type}"
            )
        self.output_index = trained_output(model, config)  # several Outputs: the one named
        check_memory(model, config, self.device)
        note = standardization_note(model, config, self.data)
        if note is not None:
            self.notes.append(note)
        self.model = model.to(self.device)
        self.net = self.model  # what a training step calls: under torchrun, the DDP wrapper
        self.loss_fn = make_loss(self.loss_name, config)
        self.optimizer = make_optimizer(self.model.parameters(), config)
        self.steps_per_epoch = epoch_steps(
            len(self.data.train),  # type: ignore[arg-type]
            config.batch_size,
            self.ranks.world_size,
        )
        self.schedule = make_scheduler(self.optimizer, config, self.steps_per_epoch)
        self.scaler = torch.amp.GradScaler("cuda") if self.use_amp else None

        self.epoch = 0  # completed epochs
        self.step = 0  # optimizer steps taken
        self.batch_in_epoch = 0  # batches done in the epoch under way
        # samples done in the epoch under way: a mid-epoch resume starts at the next sample,
        # whatever the batch size then
        self.samples_in_epoch = 0
        # the settings that differ from the resumed checkpoint's (recorded in settings.json)
        self.resume_changes: list[SettingChange] = []
        self.history: list[dict[str, float]] = []
        self.best_loss = math.inf
        self._totals = self._new_totals(top5=False)
        self._synced = RankSnapshot(self.ranks)  # under torchrun: what a checkpoint needs of all
        self._restored_rng: dict[str, Any] | None = None
        # seed null: a fresh shuffle order per run, kept in checkpoints so a resume continues it
        self.shuffle_seed = config.seed if config.seed is not None else random.randrange(2**31)

        self.started: Signal[RunStarted] = Signal()
        self.step_ended: Signal[StepEnded] = Signal()
        self.epoch_ended: Signal[EpochEnded] = Signal()
        self.state_changed: Signal[StateChanged] = Signal()
        self.finished: Signal[Finished] = Signal()
        self.failed: Signal[Failed] = Signal()
        self._stop = False
        self._running = threading.Event()
        self._running.set()

    # ---- control (any thread) ----------------------------------------------------------------
    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        self._stop = True
        self._running.set()  # wake a paused loop so it can stop

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    # ---- checkpoints --------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """Everything a checkpoint holds; see nodeml.core.checkpoint.save_checkpoint. From another
        thread, call it while paused or after ``run()`` returns, not while a batch is running."""
        return {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.schedule.state_dict(),
            "scaler": None if self.scaler is None else self.scaler.state_dict(),
            "epoch": self.epoch,
            "step": self.step,
            "batch_in_epoch": self.batch_in_epoch,
            "samples_in_epoch": self.samples_in_epoch,
            "partial": self._synced.partial(self.step, self.samples_in_epoch, self._totals),
            "best_loss": self.best_loss,
            "graph": self.graph,
            "training": self.config.to_dict(),
            "history": [dict(h) for h in self.history],
            "rng": rng_state(),
            "shuffle_seed": self.shuffle_seed,
            "world_size": self.ranks.world_size,
            "rng_ranks": self._synced.rngs(self.step),
            "classes": list(class_names(self.data, self.task)),  # output index -> class name
        }

    def load_state_dict(self, state: dict[str, Any], *, partial: bool = False) -> None:
        """Continue from a checkpoint: weights, optimizer, scheduler, counters, history and RNGs.

        This trainer's settings decide: a changed lr, batch size, epoch count, optimizer
        hyper-parameter or schedule takes effect (each is added to ``notes``); a change the run
        cannot take (another dataset, split, seed, loss or optimizer type) raises ResumeError."""
        load_model_state(self.model, state["model"], partial=partial)
        samples = len(self.data.train)  # type: ignore[arg-type]
        point = resume_point(
            state, self.config, self.optimizer, self.scaler, self.schedule,
            samples=samples, world=self.ranks.world_size,
        )  # fmt: skip
        self.schedule, self.epoch, self.step = point.schedule, point.epoch, point.step
        self.samples_in_epoch, self.batch_in_epoch = point.samples_in_epoch, point.batch_in_epoch
        self.history, self.best_loss = point.history, point.best_loss
        self._totals = self._new_totals(top5=False)
        if point.partial and self.ranks.is_main:  # every process's sums: one carries them on
            self._totals.load_state_dict(point.partial)
        self._restored_rng = rank_rng(state, self.ranks)
        if point.shuffle_seed is not None:
            self.shuffle_seed = point.shuffle_seed
        self.resume_changes = point.plan.changes
        self.notes.extend(point.plan.notes)

    # ---- the loop -----------------------------------------------------------------------------
    def run(self) -> Finished:
        """Train until the configured epochs are done or ``stop()``; emits ``failed`` then raises
        a TrainingError if a step fails. The model keeps the weights of the last good step."""
        try:
            return self._run()
        except TrainingError as exc:
            self.failed.emit(Failed(exc))
            raise
        finally:
            # a stop() that arrived before or during this run is used up; the next run starts fresh
            self._stop = False

    def _run(self) -> Finished:
        cfg = self.config
        if self._restored_rng is not None:
            set_rng_state(self._restored_rng)
        elif cfg.seed is not None:  # each process its own dropout draws
            seed_everything(cfg.seed + self.ranks.rank + 7919 * self.step)
        # before any step: the input standardisation fitted on the whole training split (by the
        # main process, given to the others), the class names
        prepare_model(self.model, self.data, self.task, self.step == 0, self.ranks.is_main)
        self.ranks.share(standardization_buffers(self.model))
        self._preflight()
        self.started.emit(
            RunStarted(
                cfg.epochs,
                self.epoch,
                self.steps_per_epoch,
                str(self.device),
                device_name(self.device),
                self.task,
                self.loss_name,
                self.metric,
                self.data.info,
                tuple(self.notes),
                self.ranks.world_size,
            )
        )
        reason = events.FinishReason.COMPLETED
        while self.epoch < cfg.epochs:
            started = time.perf_counter()
            if not self._train_epoch():
                reason = events.FinishReason.STOPPED
                break
            self._end_epoch(time.perf_counter() - started)
            if self.ranks.agree(self.step, self._stop, False)[0]:
                reason = events.FinishReason.STOPPED
                break
        self._synced.take(self.step, self.samples_in_epoch, self._totals)
        self.model.train()
        done = Finished(reason, self.epoch, self.step, [dict(h) for h in self.history])
        self.finished.emit(done)
        return done

    def _train_epoch(self) -> bool:
        """One pass over the training set; False when stopped part-way."""
        cfg = self.config
        loader = make_loader(
            self.data.train,
            batch_size=cfg.batch_size,
            shuffle=cfg.shuffle,
            seed=self.shuffle_seed,
            epoch=self.epoch,
            start_sample=self.samples_in_epoch,
            num_workers=cfg.num_workers,
            pin_memory=self.device.type == "cuda",
            rank=self.ranks.rank,
            world_size=self.ranks.world_size,
        )
        n, world = len(self.data.train), self.ranks.world_size  # type: ignore[arg-type]
        real = loader.sampler.real()  # type: ignore[union-attr]  # the rest: padding repeats
        # this epoch's batches: a resume at another batch size mid-epoch has its own count
        batches = self.batch_in_epoch + len(loader)
        self.model.train()
        clock, seen, logged, logged_n = time.perf_counter(), 0, 0.0, 0
        for x, y in loader:
            x = x.to(self.device, non_blocking=True)
            y = x if self.reconstruct else y.to(self.device, non_blocking=True)
            counted = min(len(x), real)
            real -= counted
            value = self._train_step(x, y, counted)
            self.step += 1
            self.batch_in_epoch += 1
            # every process took len(x): the epoch's first samples_in_epoch are done
            self.samples_in_epoch = min(n, self.samples_in_epoch + len(x) * world)
            seen += len(y) * world
            logged, logged_n = logged + value, logged_n + 1
            if self.schedule.per_batch and self.step < self.schedule.scheduler.total_steps:  # type: ignore[union-attr]
                self.schedule.scheduler.step()  # type: ignore[union-attr]
            if logged_n == cfg.log_every or self.samples_in_epoch == n:
                rate = seen / max(time.perf_counter() - clock, 1e-9)
                self.step_ended.emit(
                    StepEnded(
                        self.epoch,
                        self.step,
                        self.batch_in_epoch,
                        batches,
                        logged / logged_n,
                        self.lr,
                        rate,
                        self._eta(rate),
                    )
                )
                logged, logged_n = 0.0, 0
            if not self.ranks.due(self.step):
                continue
            stop, pause = self.ranks.agree(self.step, self._stop, self.paused)
            if pause and not stop:
                paused_at = time.perf_counter()
                stop = self._wait_while_paused()
                clock += time.perf_counter() - paused_at  # paused time is not training time
            if stop:
                self._stop = True
                return False
        return True

    def _train_step(self, x: torch.Tensor, y: torch.Tensor, counted: int) -> float:
        """zero_grad -> forward -> loss -> backward -> (clip) -> step; returns the loss value.
        The epoch's metrics count the batch's first ``counted`` samples (the rest repeat others)."""
        self.optimizer.zero_grad(set_to_none=True)
        try:
            with self._autocast():
                output, loss = self._forward(x, y, self.step + 1, self.net)
            value = loss.item()
            if not math.isfinite(value):
                raise NonFiniteLossError(value, self.step + 1, self.epoch, self.batch_in_epoch + 1)
            optimizer_step(
                loss, self.optimizer, self.model.parameters(), self.config.grad_clip, self.scaler
            )
        except torch.cuda.OutOfMemoryError:
            self._free_memory()
            raise OutOfMemoryError(self.config.batch_size, str(self.device)) from None
        except TrainingError:
            self.optimizer.zero_grad(set_to_none=True)
            raise
        except Exception as exc:
            self.optimizer.zero_grad(set_to_none=True)
            self.ranks.check_peers(exc)
            raise StepError(exc, "the backward pass or optimizer step", self.step + 1) from exc
        if counted < len(x):  # this process's share ends with padding: left out of the metrics
            with torch.no_grad():
                output, y = output[:counted], y[:counted]
                value = self.loss_fn(output, self._target(y, output)).item() if counted else 0.0
        self._totals.add(
            output, y if self.task == "classification" else self._target(y, output), value
        )
        return value

    def _forward(
        self, x: torch.Tensor, y: torch.Tensor, step: int, model: nn.Module | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        try:
            output = (model or self.model)(x)
        except torch.cuda.OutOfMemoryError:
            raise
        except Exception as exc:
            self.ranks.check_peers(exc)
            raise ForwardError(exc, node_of_error(self.model, exc.__traceback__), step) from exc
        output = pick_output(output, self.output_index)
        try:
            loss = self.loss_fn(output, self._target(y, output))
        except torch.cuda.OutOfMemoryError:
            raise
        except Exception as exc:
            raise LossError(exc, self.loss_name, step) from exc
        return output, loss

    def _target(self, y: torch.Tensor, output: torch.Tensor) -> torch.Tensor:
        return loss_target(self.task, y, output)

    def _autocast(self) -> contextlib.AbstractContextManager[Any]:
        if self.use_amp:
            return torch.autocast(self.device.type, dtype=torch.float16)
        return _NO_AUTOCAST

    def _end_epoch(self, seconds: float) -> None:
        train = self.ranks.merged(self._totals).compute()
        val = self.evaluate(self.data.val) if self.data.val is not None else None
        watched = (val or train)["loss"]
        if self.schedule.needs_metric:
            self.schedule.scheduler.step(watched)  # type: ignore[union-attr, arg-type]
        elif self.schedule.scheduler is not None and not self.schedule.per_batch:
            self.schedule.scheduler.step()
        improved = watched < self.best_loss
        self.best_loss = min(self.best_loss, watched)
        self.epoch += 1
        self.batch_in_epoch = self.samples_in_epoch = 0
        self._totals = self._new_totals(top5=False)
        samples = len(self.data.train)  # type: ignore[arg-type]
        rate = samples / max(seconds, 1e-9)
        row = {"epoch": self.epoch, "step": self.step, "lr": self.lr, "seconds": seconds}
        row.update({f"train_{k}": v for k, v in train.items()})
        row.update({f"val_{k}": v for k, v in (val or {}).items()})
        self.history.append(row)
        self._synced.take(self.step, self.samples_in_epoch, self._totals)
        self.epoch_ended.emit(
            EpochEnded(
                self.epoch - 1,
                self.step,
                train,
                val,
                self.lr,
                rate,
                seconds,
                self._eta(rate),
                improved,
            )
        )

    @torch.no_grad()
    def evaluate(self, dataset: Any) -> dict[str, float]:
        """Mean loss and metrics over ``dataset`` in eval mode; leaves the model in train mode."""
        totals = self._new_totals()
        loader = make_loader(
            dataset,
            batch_size=self.config.batch_size,
            shuffle=False,
            seed=0,
            epoch=0,
            num_workers=self.config.num_workers,
            pin_memory=self.device.type == "cuda",
            rank=self.ranks.rank,
            world_size=self.ranks.world_size,
            pad=False,  # each process its share, none twice: the sums are the whole set's
        )
        self.model.eval()
        try:
            for x, y in loader:
                x = x.to(self.device, non_blocking=True)
                y = x if self.reconstruct else y.to(self.device, non_blocking=True)
                with self._autocast():
                    output, loss = self._forward(x, y, self.step)
                totals.add(output, self._target(y, output), loss)
        except torch.cuda.OutOfMemoryError:
            self._free_memory()
            raise OutOfMemoryError(self.config.batch_size, str(self.device)) from None
        finally:
            self.model.train()
        return self.ranks.merged(totals).compute()

    # ---- helpers ----------------------------------------------------------------------------------
    def _preflight(self) -> None:
        """One forward pass on two samples before training, so a wrong output shape is reported
        with its fix instead of as a loss error at step 1 (eval mode: no RNG, no BN update).
        Under torchrun it also wraps the model in DDP, told whether some parameters never get a
        gradient (an untrained Output's branch)."""
        x, y = first_samples(self.data.train, 2)
        x = x.to(self.device)
        y = x if self.reconstruct else y.to(self.device)
        self.model.eval()
        try:
            with torch.set_grad_enabled(self.ranks.world_size > 1), self._autocast():
                output = self.model(x)
        except torch.cuda.OutOfMemoryError:
            self._free_memory()
            raise OutOfMemoryError(self.config.batch_size, str(self.device)) from None
        except Exception as exc:
            raise ForwardError(exc, node_of_error(self.model, exc.__traceback__), 0) from exc
        finally:
            self.model.train()
        output = pick_output(output, self.output_index)
        problem = output_problem(output, y, self.task, self.data.info)
        if problem is not None:
            raise TrainingError(problem)
        self.net, note = self.ranks.wrap(
            self.model, lambda: self.loss_fn(output, self._target(y, output))
        )
        self.notes.extend([note] if note else [])

    def _wait_while_paused(self) -> bool:
        """Wait, with every process, until all are asked to resume or any to stop (True)."""
        self._synced.take(self.step, self.samples_in_epoch, self._totals)
        self.state_changed.emit(StateChanged(events.TrainerState.PAUSED))
        while True:
            self._running.wait(0.1)
            stop, pause = self.ranks.agree(self.step, self._stop, self.paused)
            if stop or not pause:
                break
        state = events.TrainerState.STOPPING if stop else events.TrainerState.RUNNING
        self.state_changed.emit(StateChanged(state))
        return stop

    def _new_totals(self, top5: bool = True) -> MetricTotals:
        """Training totals skip top-5 (a topk per batch); validation reports it."""
        return MetricTotals(
            self.task,
            self.data.info.num_classes,
            binary_from_logits=self.loss_name != "bce",
            top5=top5,
        )

    def _free_memory(self) -> None:
        self.optimizer.zero_grad(set_to_none=True)
        if self.device.type == "cuda":
            torch.cuda.empty_cache()

    def _eta(self, samples_per_s: float) -> float:
        n = len(self.data.train)  # type: ignore[arg-type]
        remaining = (self.config.epochs - self.epoch) * n - self.samples_in_epoch
        return max(0.0, remaining) / max(samples_per_s, 1e-9)

    @property
    def lr(self) -> float:
        return float(self.optimizer.param_groups[0]["lr"])
