"""Worker processes forked by an hdm command: they must not outlive it."""

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> bool:
    """Ask for SIGTERM when the parent process dies (Linux; elsewhere best effort).

    False if the parent died before the request took effect: the caller should end.
    """
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    return os.getppid() == parent


def remove_partial_writes(folder: Path) -> None:
    """An interrupted atomic write leaves its hidden temporary file (never a final name): drop them."""
    for leftover in folder.rglob(".*.partial"):
        leftover.unlink(missing_ok=True)


def _worker_started() -> None:
    # Ctrl-C is the parent's to handle (it stops the pool); a killed parent takes its workers along.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not die_with_parent():
        os._exit(1)


def process_pool(count: int, warm_up: Callable, *args) -> ProcessPoolExecutor:
    """``count`` processes forked now, set to run ``warm_up(*args)`` first (loading an engine, say).

    Fork before the runtime is imported: the workers then load while the parent imports,
    and no thread of the parent is copied half-way through holding a lock.
    """
    pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"), initializer=_worker_started)
    for _ in range(count):  # the first submit forks every worker (fork context); no waiting for them here
        pool.submit(warm_up, *args)
    return pool
