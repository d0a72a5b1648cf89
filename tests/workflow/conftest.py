import pytest

from steps.phi import get_engine
from tests.workflow import fake_comprehend


@pytest.fixture
def comprehend(monkeypatch):
    """Call with a respond(text) function; the engine is rebuilt clean afterwards."""
    yield lambda respond: fake_comprehend.install(monkeypatch, respond)
    get_engine.cache_clear()
