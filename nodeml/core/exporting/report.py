"""What an export wrote and noticed, and the error it raises when it cannot write a format."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import NodemlError


class ExportError(NodemlError):
    """A format cannot be written for this graph (missing package, unsupported op, bad file)."""


@dataclass
class ExportReport:
    """``notes`` are things the user should know (a fallback taken, a check skipped)."""

    path: str
    format: str
    notes: list[str] = field(default_factory=list)
    max_abs_diff: float | None = None  # largest output difference found by a runtime check
