"""Keeping ``torch._dynamo`` unimported through meta-device inference, which never compiles.

Many of torch's Python kernels (the ``torch._refs`` that serve as meta kernels for ``relu``,
``add``, ``linear``, ``layer_norm``, parameter init ...) are wrapped in ``torch._disable_dynamo``,
whose wrapper imports ``torch._dynamo`` on its first call -- 1-2 s (far more on a busy machine),
which ``nodeml check`` and the app's first shapes would pay for a compiler they never use. The
wrapper asks ``fn.__dynamo_disable`` for the function to run and imports dynamo only to make
it. Until dynamo is imported no frame can be under its tracing, so ``fn`` itself is exactly what
the disabled version would do: :func:`defer_dynamo_import` gives each such ``fn`` itself as
``__dynamo_disable``, and takes all of them back the moment anything imports ``torch._dynamo``
(export, ``torch.compile``), so from then on torch behaves as it always does.

This leans on a private detail of torch; if it changes, nothing breaks -- dynamo is simply
imported again -- and the test that inference leaves ``torch._dynamo`` out of ``sys.modules``
says so.
"""

from __future__ import annotations

import gc
import importlib.abc
import sys
import threading
from collections.abc import Sequence
from types import FunctionType, ModuleType
from typing import Any

import torch

_DYNAMO = "torch._dynamo"
_ATTRIBUTE = "__dynamo_disable"  # what torch._compile._disable_dynamo's wrapper looks up
_lock = threading.Lock()
_installed = False


def defer_dynamo_import() -> None:
    """Let torch's dynamo-disabled kernels run without importing dynamo, until it is imported.

    Once per process; cheap afterwards. Does nothing when dynamo is already imported."""
    global _installed
    if _installed:
        return
    with _lock:
        if _installed or _DYNAMO in sys.modules:
            _installed = True
            return
        deferred = [fn for fn in _disabled_functions() if _defer(fn)]
        # before the wrappers can see it: a finder that restores torch's own behaviour
        sys.meta_path.insert(0, _RestoreOnDynamoImport(deferred))
        _installed = True


def _disabled_functions() -> list[Any]:
    """Every function torch has wrapped in ``_disable_dynamo`` so far (found by its code)."""

    def probe() -> None:
        pass

    wrapper_code = torch._disable_dynamo(probe).__code__
    try:
        fn_cell = wrapper_code.co_freevars.index("fn")
    except ValueError:  # torch changed the wrapper: leave it alone
        return []
    found = []
    for obj in gc.get_referrers(wrapper_code):
        if type(obj) is FunctionType and obj.__closure__ is not None:
            found.append(obj.__closure__[fn_cell].cell_contents)
    return found


def _defer(fn: Any) -> bool:
    if getattr(fn, _ATTRIBUTE, None) is not None:
        return False
    try:
        setattr(fn, _ATTRIBUTE, fn)
    except (AttributeError, TypeError):  # a builtin or slotted callable: keep torch's way
        return False
    return True


class _RestoreOnDynamoImport(importlib.abc.MetaPathFinder):
    """Takes the deferrals back when ``torch._dynamo`` starts importing; finds nothing itself."""

    def __init__(self, deferred: Sequence[Any]):
        self._deferred = list(deferred)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> None:
        if fullname == _DYNAMO:
            self.restore()
        return None

    def restore(self) -> None:
        for fn in self._deferred:
            if getattr(fn, _ATTRIBUTE, None) is fn:
                delattr(fn, _ATTRIBUTE)
        # it stays in sys.meta_path: the import system may be iterating over that list now
        self._deferred = []
