"""A tiny typed publish/subscribe: the graph emits events, views and caches subscribe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Signal(Generic[T]):
    """A list of callbacks for one event type; ``emit`` calls them in subscription order."""

    def __init__(self) -> None:
        self._subscribers: list[Callable[[T], None]] = []

    def connect(self, callback: Callable[[T], None]) -> None:
        self._subscribers.append(callback)

    def disconnect(self, callback: Callable[[T], None]) -> None:
        self._subscribers.remove(callback)

    def emit(self, event: T) -> None:
        for callback in list(self._subscribers):
            callback(event)
