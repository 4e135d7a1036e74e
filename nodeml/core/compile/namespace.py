"""Unique, valid Python identifiers for generated code (after torch.fx's _Namespace)."""

from __future__ import annotations

import builtins
import keyword
import re

# Names the generated module itself uses; a node id equal to one gets a suffixed variable.
RESERVED = frozenset(
    {"self", "torch", "torchvision", "nn", "F", "OrderedDict", *dir(builtins), *keyword.kwlist}
)


class Namespace:
    """Hands out unique, valid names: ``take("x")`` is ``x``, then ``x_1``, ``x_2`` ..."""

    def __init__(self) -> None:
        self._used: set[str] = set(RESERVED)

    def take(self, want: str) -> str:
        name = want if want.isidentifier() else re.sub(r"\W", "_", want)
        base, i = name, 1
        while name in self._used:
            name = f"{base}_{i}"
            i += 1
        self._used.add(name)
        return name
