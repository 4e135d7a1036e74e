"""When the nodeml program runs Python's cyclic garbage collector: not while it starts, not at exit.

Importing torch (and Qt, sympy, the app) makes about a million long-lived objects; the collector
walks them again and again while they are made, and once more when the interpreter exits, and
finds next to nothing (under 10,000 unreachable objects after ``nodeml check``). Measured on a
2-core machine, that is ~0.7 s of CPU of ``nodeml check``, about a third of it at exit. So the
program's entry point pauses collection while it starts; once started, what start-up made is
frozen (``gc.freeze``: later collections skip it, so they are also shorter while the app is
used) and collection resumes; at exit everything is frozen so the interpreter does not walk it.

A one-shot command (``check``, ``summary``, ``--screenshot``) goes one step further once its
output is written and flushed: it ends the process without the interpreter's teardown, which frees
torch's and Qt's objects one by one and deletes every widget (0.2-0.3 s of a 3 s
``--screenshot``, measured against the same command with teardown; the technique Instagram
described for its servers: ``os._exit`` after the work is done). Commands that train, export or
run the app keep the normal exit: they may leave threads, child processes or open files whose
clean-up matters.

Only the program itself does this (``nodeml.cli.main()`` called without arguments, as the
``nodeml`` command and ``python -m nodeml`` do); code that imports nodeml keeps its own policy.
"""

from __future__ import annotations

import gc
import os
import sys

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


def end_without_teardown(status: int) -> None:
    """A one-shot command is done and wrote what it writes: flush stdout and stderr, then end the
    process at once with ``status`` (never returns)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`nodeml check g.json | head`) or stream
            pass
    os._exit(status)
