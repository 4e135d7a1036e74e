"""What ``nodeml train`` shows while it trains: a line per epoch, and on a terminal a live batch bar."""

from __future__ import annotations

from typing import Any, TextIO

from .events import EpochEnded, RunStarted, StepEnded
from .resumption import steps_left
from .trainer import Trainer


class ProgressBar:
    """One line per epoch on any stream; on a terminal also a tqdm bar over the whole run's
    batches (ETA, batches/s, live loss), redrawn at most 10 times a second. Piped output gets
    the lines only, so logs and tests read the same text."""

    def __init__(self, trainer: Trainer, out: TextIO, *, live: bool | None = None):
        self.trainer, self.out = trainer, out
        self.live = (hasattr(out, "isatty") and out.isatty()) if live is None else live
        self.epochs = 0
        self.bar: Any = None
        self._step = 0
        trainer.started.connect(self._started)
        trainer.step_ended.connect(self._on_step)
        trainer.epoch_ended.connect(self._epoch)
        trainer.finished.connect(lambda _: self.close())
        trainer.failed.connect(lambda _: self.close())

    def _started(self, e: RunStarted) -> None:
        self.epochs = e.epochs
        resumed = f", resuming after epoch {e.start_epoch}" if e.start_epoch else ""
        where = f"{e.device} ({e.device_name})"
        if e.world_size > 1:
            where = f"{e.world_size} processes, each on {where}"
        print(
            f"training on {where}: {e.info.describe()}; loss {e.loss}, "
            f"{e.steps_per_epoch} steps per epoch{resumed}",
            file=self.out,
        )
        for note in e.notes:
            print(f"note: {note}", file=self.out)
        self.out.flush()
        if self.live:
            from tqdm import tqdm  # only a terminal needs it

            t = self.trainer
            total = steps_left(
                t.config,
                epoch=t.epoch,
                samples_done=t.samples_in_epoch,
                samples=len(t.data.train),  # type: ignore[arg-type]
                world=e.world_size,
            )
            self._step = t.step
            self.bar = tqdm(
                total=total,
                file=self.out,
                unit="batch",
                dynamic_ncols=True,
                mininterval=0.1,
                leave=False,
                desc=f"epoch {t.epoch + 1}/{self.epochs}",
            )

    def _on_step(self, e: StepEnded) -> None:
        if self.bar is None:
            return
        self.bar.set_description_str(f"epoch {e.epoch + 1}/{self.epochs}", refresh=False)
        self.bar.set_postfix_str(f"loss {e.loss:.4f}", refresh=False)
        self.bar.update(e.step - self._step)
        self._step = e.step

    def _epoch(self, e: EpochEnded) -> None:
        parts = [f"epoch {e.epoch + 1}/{self.epochs}"]
        parts += [f"train {k} {v:.4f}" for k, v in e.train.items()]
        parts += [f"val {k} {v:.4f}" for k, v in (e.val or {}).items()]
        parts.append(f"lr {e.lr:.3g}, {e.seconds:.1f}s" + (" *" if e.improved else ""))
        line = ", ".join(parts)
        if self.bar is not None:
            self.bar.write(line, file=self.out)  # above the bar, which is redrawn below it
        else:
            print(line, file=self.out)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
