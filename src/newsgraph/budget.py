"""Budgets per article: CPU time, counted by the kernel, that a step may spend before it is stopped."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class BudgetExceeded(Exception):
    """Raised inside the budgeted step when its CPU time runs out."""


@contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    """Stop the enclosed step (with BudgetExceeded) after `seconds` of CPU time.

    A profiling timer interrupts Python code only in the main thread; elsewhere (a server thread) the step runs
    unbounded, and the size limits in front of it (tags, tokens) are what bound it.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(_signum: int, _frame: object) -> None:
        raise BudgetExceeded(f"over {seconds:g} s of CPU time")

    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
