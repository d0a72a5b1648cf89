"""Shared fixtures: a local runtime with a private state directory."""

import pytest

from hdm.runtime import LocalRuntime

GUIDE_NOTE = ("PERSON INFORMATION\nName: SALAZAR, CARLOS\nMRN: RQ36114734\n"
              "ED Arrival Time: 11/12/2011 18:15\nSex: Male\nDOB: 2/11/1961")
GUIDE_NOTE_MASKED = ("PERSON INFORMATION\nName: NAME\nMRN: ID\n"
                     "ED Arrival Time: DATE 18:15\nSex: Male\nDOB: DATE")
GUIDE_NOTE_PHI = ("SALAZAR", "CARLOS", "RQ36114734", "11/12/2011", "2/11/1961")


@pytest.fixture(autouse=True)
def _private_state_dir(tmp_path, monkeypatch):
    """Nothing a test runs may write to the user's real state directory."""
    monkeypatch.setenv("HDM_STATE_DIR", str(tmp_path / "hdm-state"))


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    with LocalRuntime(home=tmp_path_factory.mktemp("runtime")) as rt:
        yield rt
