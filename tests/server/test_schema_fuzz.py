"""Schema-driven fuzzing: schemathesis drives every operation of /openapi.json against a real server.

Its checks include no 5xx, documented status codes and response shapes, negative
data rejected (no unvalidated acceptance), valid data accepted and auth enforced.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.server.http_server import TOKEN

SCHEMATHESIS = Path(sys.executable).with_name("st")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_unvalidated_acceptance(server, tmp_path):
    run = subprocess.run(
        [str(SCHEMATHESIS), "run", f"{server.url}/openapi.json", "--header", f"Authorization: Bearer {TOKEN}",
         "--checks", "all", "--phases", "examples,coverage,fuzzing", "--max-examples", "8", "--max-time", "25",
         "--workers", "1", "--warnings", "off", "--report-dir", str(tmp_path / "report")],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={**os.environ, "SCHEMATHESIS_HOOKS": "tests.server.schemathesis_hooks", "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "9 selected / 9 total" in run.stdout
