"""The project's exception classes and the Problem record that reports a user's mistake as data."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    """An error stops the graph from compiling; a warning is said but compiles (e.g. an unused node)."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a graph, located at a node (and port / param) where possible.

    ``kind`` is a short machine-readable tag (``"cycle"``, ``"shape"``, ``"param"`` ...) so tests
    and the UI can group problems; ``message`` is written for a person.
    """

    kind: str
    message: str
    node: str | None = None
    port: int | None = None
    field: str | None = None
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        if self.node is None:
            return f"graph: {self.message}"
        where = f"node {self.node}"
        if self.port is not None:
            where += f" (input {self.port})"
        return f"{where}: {self.message}"


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (its class name when it has none): torch's
    messages run to many lines, a problem or a status line holds one."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class NodemlError(Exception):
    """Base class of every error a user can cause."""


def report_error(command: str, exc: NodemlError, prefix: str = "") -> None:
    """What a ``nodeml`` command prints for an error it stops on: one line per problem of a
    graph's (or per line of the message) on stderr, ``nodeml <command>: <prefix><line>``."""
    if isinstance(exc, GraphFormatError | InvalidGraphError):
        lines = [str(p) for p in exc.problems]
    else:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    for line in lines or [type(exc).__name__]:
        print(f"nodeml {command}: {prefix}{line}", file=sys.stderr)


class GraphFormatError(NodemlError):
    """The file is not a nodeml graph, is a newer version, or its nodes cannot be read.

    ``problems`` lists every defect found (all of them, not just the first)."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("format", problems)]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class GraphEditError(NodemlError):
    """An edit that the graph refuses (unknown node, duplicate id, bad identifier ...)."""


class InvalidGraphError(NodemlError):
    """The graph has problems that stop it from compiling; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"the graph has {len(self.problems)} problem(s):\n{lines}")


class CheckpointError(NodemlError):
    """A checkpoint cannot be read or does not fit the graph."""


class TrainingError(NodemlError):
    """Training stopped because of the user's data, settings or model (NaN loss, OOM ...)."""


class PretrainedWeightsError(NodemlError):
    """A backbone asks for pretrained weights that are neither cached nor downloadable.

    ``nodes`` are the backbone node ids affected; setting their ``weights`` param to ``"none"``
    continues with random weights."""

    def __init__(self, message: str, nodes: list[str]):
        self.nodes = list(nodes)
        super().__init__(message)
