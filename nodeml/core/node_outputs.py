"""Which graph node each value of a compiled model's forward belongs to, and a one-forward capture.

A compiled model's ``forward`` is straight-line code: every node's output is a local variable
bound on that node's line (``relu1 = self.relu1(conv1)``, ``add = bn_b + stem_relu``). The
compiler registers the line -> node map on the class (``nodeml_node_at_line``), so reading which
variable each line stores (from the bytecode, not by parsing source text) names every local.
``LocalsCapture`` then reads those locals once, when ``forward`` returns, through a one-shot
``sys.setprofile`` hook: nothing in the generated code changes, and functional nodes (``Add``,
``F.relu`` in the functional style, ``torch.flatten``), which have no module to hook, are seen too.
"""

from __future__ import annotations

import dis
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from types import CodeType, FrameType
from typing import Any

import torch
from torch import nn


@dataclass(frozen=True)
class ForwardValue:
    """One local of the generated forward: the node (and output port) it holds."""

    variable: str
    node: str
    port: int


def forward_values(model: nn.Module, input_ids: Sequence[str] = ()) -> list[ForwardValue]:
    """The locals of ``model``'s generated forward, in the order they are bound; empty for a
    model nodeml did not generate. ``input_ids`` (the graph's Input nodes, in order) name the
    forward's arguments; without them an argument is named by itself."""
    node_at_line = getattr(type(model), "nodeml_node_at_line", None)
    code = _forward_code(model)
    if node_at_line is None or code is None:
        return []
    args = code.co_varnames[1 : code.co_argcount]
    ids = list(input_ids) if len(input_ids) == len(args) else list(args)
    values = [ForwardValue(arg, nid, 0) for arg, nid in zip(args, ids, strict=True)]
    seen = {v.variable for v in values}
    ports: dict[str, int] = {}
    for ins in dis.get_instructions(code):
        if not ins.opname.startswith("STORE_FAST") or ins.positions is None:
            continue
        node = node_at_line(code.co_filename, ins.positions.lineno)
        if node is None:
            continue
        for name in _stored(ins):
            if name in seen:
                continue
            seen.add(name)
            # a multi-output line unpacks left to right: the first store is port 0
            port = ports[node] = ports.get(node, -1) + 1
            values.append(ForwardValue(name, node, port))
    return values


def _stored(ins: dis.Instruction) -> list[str]:
    """The locals an instruction stores; Python 3.13 fuses pairs (STORE_FAST_STORE_FAST for
    ``a, b = ...``, STORE_FAST_LOAD_FAST) whose argval is a tuple in execution order."""
    if isinstance(ins.argval, tuple):
        return [ins.argval[0]] if ins.opname == "STORE_FAST_LOAD_FAST" else list(ins.argval)
    return [ins.argval]


def _forward_code(model: nn.Module) -> CodeType | None:
    forward = getattr(type(model), "forward", None)
    return getattr(forward, "__code__", None)


def first_tensor(value: Any) -> torch.Tensor | None:
    """A module's output as one tensor: itself, or the first tensor of a tuple (LSTM's output)."""
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, tuple | list):
        for item in value:
            found = first_tensor(item)
            if found is not None:
                return found
    return None


class LocalsCapture:
    """Reads the generated forward's node outputs once, as that forward returns.

    ``start()`` before the model is called, ``stop()`` after (or when the call failed); in between
    the profile hook looks at each Python return for the forward's own frame and then removes
    itself. A profiler already installed (cProfile, a debugger's) is left alone: ``start()``
    returns False and nothing is captured.
    """

    def __init__(self, model: nn.Module, values: Sequence[ForwardValue]):
        self._code = _forward_code(model)
        self._values = list(values)
        self._active = False
        self.locals: dict[str, Any] = {}

    @property
    def possible(self) -> bool:
        return self._code is not None and bool(self._values)

    def start(self) -> bool:
        self.locals = {}
        if not self.possible or sys.getprofile() is not None:
            return False
        self._active = True
        sys.setprofile(self._profile)
        return True

    def stop(self) -> None:
        if self._active:
            self._active = False
            sys.setprofile(None)

    def _profile(self, frame: FrameType, event: str, arg: Any) -> None:
        if event == "return" and frame.f_code is self._code:
            self.locals = dict(frame.f_locals)
            self.stop()

    def by_node(self) -> dict[str, list[Any]]:
        """Each node's captured outputs by port, in forward order (what the last call bound)."""
        out: dict[str, list[Any]] = {}
        for v in self._values:
            if v.variable in self.locals:
                out.setdefault(v.node, []).append(self.locals[v.variable])
        return out
