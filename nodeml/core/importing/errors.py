"""The error an import raises: every op it could not map, each on its own line."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import NodemlError


class ModelImportError(NodemlError):
    """A module could not be turned into a graph.

    ``lines`` names each unmappable op (fx node name and target) or unreadable setting;
    ``missing_types`` lists the torch.nn classes the catalog lacks, so they can be added.
    """

    def __init__(self, lines: Sequence[str], missing_types: Sequence[str] = ()):
        self.lines = list(lines)
        self.missing_types = sorted(set(missing_types))
        head = f"cannot import the model: {len(self.lines)} problem(s)"
        if self.missing_types:
            head += f"; layer types not in nodeml's catalog: {', '.join(self.missing_types)}"
        super().__init__(head + "\n" + "\n".join(f"  {line}" for line in self.lines))
