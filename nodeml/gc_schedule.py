"""When the nodeml program runs Python's cyclic garbage collector: not while it starts, not at exit.

Importing torch (and Qt, sympy, the app) makes about a million long-lived objects; the collector
walks them again and again while they are made, and once more when the interpreter exits, and
finds next to nothing (under 10,000 unreachable objects after ``nodeml check``). Measured on a
2-core machine, that is ~0.7 s of CPU of ``nodeml check``, about a third of it at exit. So the
program's entry point pauses collection while it starts; once started, what start-up made is
frozen (``gc.freeze``: later collections skip it, so they are also shorter while the app is
used) and collection resumes; at exit everything is frozen so the interpreter does not walk it.

Only the program itself does this (``nodeml.cli.main()`` called without arguments, as the
``nodeml`` command and ``python -m nodeml`` do); code that imports nodeml keeps its own policy.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """First thing in the program: no collections while it starts."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Start-up is over: keep its objects out of every later collection, and collect as usual.

    What start-up left unreachable is frozen with it and never freed: a few thousand objects
    once, against a collector that no longer walks a million at every full collection."""
    global _paused
    if _paused:
        gc.freeze()
        gc.enable()
        _paused = False


def before_exit() -> None:
    """The program is about to end: the interpreter need not walk every object once more."""
    gc.freeze()
