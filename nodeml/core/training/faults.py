"""What went wrong in a training step, said in the user's terms: the node, the step, the fix."""

from __future__ import annotations

import traceback
from types import TracebackType

from torch import nn

from ..errors import TrainingError, first_line

# A compiled model exposes this: (filename, lineno) -> id of the node whose generated line it is.
NODE_AT_LINE = "nodeml_node_at_line"


class NonFiniteLossError(TrainingError):
    def __init__(self, value: float, step: int, epoch: int, batch: int):
        self.step = step
        super().__init__(
            f"the loss became {value} at step {step} (epoch {epoch + 1}, batch {batch}); the weights "
            "were not updated by it. Lower the learning rate, set grad_clip (e.g. 1.0), or check "
            "the data for NaN values"
        )


class ForwardError(TrainingError):
    """The model's forward raised; ``node`` is the graph node whose line raised, when known."""

    def __init__(self, exc: BaseException, node: str | None, step: int):
        self.node = node
        self.step = step
        where = f"node {node}" if node else "the model's forward"
        when = f"at step {step}" if step else "on a trial batch before training"
        super().__init__(f"{where} failed {when}: {first_line(exc)}")


class LossError(TrainingError):
    def __init__(self, exc: BaseException, loss: str, step: int):
        self.step = step
        super().__init__(
            f"the {loss} loss failed at step {step}: {first_line(exc)}; check that the model's "
            "output matches the dataset's targets (number of classes, or the regression shape), "
            "or pick another loss"
        )


class OutOfMemoryError(TrainingError):
    def __init__(self, batch_size: int, device: str):
        smaller = max(1, batch_size // 2)
        super().__init__(
            f"{device} ran out of memory at batch size {batch_size}; try batch_size {smaller}, "
            "turn on amp, or use a smaller model"
        )


class StepError(TrainingError):
    def __init__(self, exc: BaseException, phase: str, step: int):
        self.step = step
        super().__init__(f"{phase} failed at step {step}: {first_line(exc)}")


def node_of_error(model: nn.Module, tb: TracebackType | None) -> str | None:
    """The innermost traceback frame that the model maps to a node, or None.

    Innermost first, because a failing layer's line is deeper than the line calling the submodule."""
    lookup = getattr(model, NODE_AT_LINE, None)
    if not callable(lookup):
        return None
    for frame, lineno in reversed(list(traceback.walk_tb(tb))):
        try:
            node = lookup(frame.f_code.co_filename, lineno)
        except Exception:  # a broken hook must not hide the user's real error
            node = None
        if node is not None:
            return node
    return None
