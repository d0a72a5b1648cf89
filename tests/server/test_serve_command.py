"""``hdm serve``: loopback by default, a bearer token generated once and reused."""

import re
from pathlib import Path

import httpx
import pytest

from hdm.cli import main
from tests.server.http_server import Server


@pytest.mark.parametrize(("args", "message"), [
    (["--host", "0.0.0.0"], "not a loopback address"),
    (["--host", "192.168.1.20", "--allow-remote", "--no-auth"], "--no-auth is allowed only"),
    (["--port", "70000"], "--port"),
])
def test_unsafe_or_invalid_serving_is_refused_before_starting(tmp_path, capsys, args, message):
    assert main(["--state-dir", str(tmp_path), "serve", *args]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "api-token").exists()


@pytest.mark.slow
def test_first_start_generates_and_prints_a_token_that_later_starts_reuse(tmp_path):
    first = Server(tmp_path, token=None)
    try:
        printed = first.stdout_path.read_text()
        token_file = Path(re.search(r"generated an API token, saved in (\S+) ", printed).group(1))
        assert token_file == tmp_path / "state" / "api-token"
        token = token_file.read_text().strip()
        assert token not in first.logs()  # standard output and error end up in service logs
        assert httpx.get(first.url + "/executions").status_code == 401
        assert httpx.get(first.url + "/executions", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    finally:
        first.stop()
    second = Server(tmp_path, token=None)
    try:
        printed = second.stdout_path.read_text()
        assert "generated" not in printed and token not in printed and "api-token" in printed
        assert httpx.get(second.url + "/executions", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    finally:
        second.stop()
