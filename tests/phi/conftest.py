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


@pytest.fixture(scope="session")
def finds(engine):
    """finds(text, value, kind): an entity of type kind kept at 0.5 covers the first occurrence of value.

    Covers, not equals: another layer may merge a neighbour into the same entity ("Harrogate HG1 2AB")."""
    def run(text: str, value: str, kind: str) -> bool:
        begin = text.index(value)
        end = begin + len(value)
        return any(e["Type"] == kind and e["BeginOffset"] <= begin and end <= e["EndOffset"]
                   for e in engine.detect(text) if e["Score"] >= 0.5)
    return run
