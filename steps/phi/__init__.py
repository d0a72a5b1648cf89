"""PHI detection engines behind one interface.

An engine turns a text of fewer than 20,000 UTF-8 bytes into entities in Comprehend
Medical's DetectPHI shape: ``BeginOffset``, ``EndOffset``, ``Type``, ``Score``,
``Text``. Engines are built once per process and reused (Lambda keeps them warm).
"""

import threading
from functools import cache
from typing import Protocol

from steps.errors import InvalidInput


class PhiEngine(Protocol):
    name: str

    def detect(self, text: str) -> list[dict]: ...


_build_lock = threading.Lock()


def get_engine(name: str) -> PhiEngine:
    """The process's engine of that name; Map iterations call this from many threads at once."""
    with _build_lock:
        return _build(name)


def forget_engines() -> None:
    """Build engines anew on next use (tests that swap an engine's client)."""
    with _build_lock:
        _build.cache_clear()


@cache
def _build(name: str) -> PhiEngine:
    if name == "builtin":
        from steps.phi.builtin import BuiltinEngine

        return BuiltinEngine()
    if name == "comprehend-medical":
        from steps.phi.comprehend_medical import ComprehendMedicalEngine

        return ComprehendMedicalEngine()
    raise InvalidInput(f"unknown PHI engine {name!r}")
