"""One engine instance per name and process, however many threads ask for it first."""

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

Engine = TypeVar("Engine")


def built_once(build: Callable[[str], Engine]) -> Callable[[str], Engine]:
    """Cache ``build(name)``; concurrent first calls (Map iterations run on threads) build once.

    Engines load models and dictionaries, so a duplicate costs time and memory. The
    returned function keeps functools' ``cache_clear`` for tests that swap an engine.
    """
    cached = functools.cache(build)
    lock = threading.Lock()

    @functools.wraps(build)
    def get(name: str) -> Engine:
        with lock:
            return cached(name)

    get.cache_clear = cached.cache_clear
    return get
