"""One built-in engine for the whole module: it is built once per process in production too."""

import pytest

from steps.phi.builtin import BuiltinEngine


@pytest.fixture(scope="session")
def engine() -> BuiltinEngine:
    return BuiltinEngine()


@pytest.fixture(scope="session")
def found(engine):
    """found(text) -> {(covered text, type)} of what the engine keeps at the default threshold 0.5."""
    def run(text: str) -> set[tuple[str, str]]:
        return {(e["Text"], e["Type"]) for e in engine.detect(text) if e["Score"] >= 0.5}
    return run


@pytest.fixture(scope="session")
def masked(found):
    """masked(text) -> the covered texts only."""
    return lambda text: {value for value, _ in found(text)}
