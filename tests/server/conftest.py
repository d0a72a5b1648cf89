"""The module-scoped server fixture (tests/server/http_server.py runs it)."""

import pytest

from tests.server.http_server import Server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    started = Server(tmp_path_factory.mktemp("server"))
    yield started
    started.stop()
