"""Torch's messages about the meta tensors inference runs, rewritten in nodeml's ``(N, 784)`` notation.

Inference feeds each layer a meta batch of a size no sample dim has (``_meta_batch``), so torch
says ``[2, 784]`` where the user's graph says ``(N, 784)``; mixing the two in one message reads
as two different tensors.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from .catalog import TensorInfo


def batch_notation(text: str, inputs: Sequence[TensorInfo], batch: int) -> str:
    """``text`` with every way torch writes a meta input's full shape (``[2, 784]``,
    ``torch.Size([2, 784])``, ``(2, 784)``, ``2x784``), any other list that starts with the batch
    size, and the element count of a whole batch, put in terms of N."""
    for t in inputs:
        dims = [str(d) for d in t.full_shape(batch)]
        shown = t.describe()
        for written in (
            f"torch.Size([{', '.join(dims)}])",
            f"[{', '.join(dims)}]",
            f"({', '.join(dims)})",
        ):
            text = text.replace(written, shown)
        text = re.sub(
            rf"(?<![\w.]){'x'.join(dims)}(?![\w.])", "x".join(shown[1:-1].split(", ")), text
        )
        numel = math.prod(t.shape)
        if numel > 1:
            text = re.sub(rf"\b(size:?|numel:?) {batch * numel}\b", rf"\1 N×{numel}", text)
    # a shape torch made from the batch (a reshape target): "[2, 3, 3]" -> "(N, 3, 3)"
    return re.sub(
        rf"(?<![\w.\-])[\[(]{batch}((?:, \d+){{1,6}})[\])]",
        lambda m: f"(N{m.group(1)})",
        text,
    )


__all__ = ["batch_notation"]
