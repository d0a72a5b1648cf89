import pytest

from steps.errors import InvalidInput
from steps.operators.date_shift import DEFAULT_RANGE, RANGE_VARIABLE, patient_token, shift_days

KEY, OTHER_KEY = b"k" * 32, b"o" * 32


def test_the_token_is_keyed_and_does_not_carry_the_identity():
    token = patient_token(KEY, "MRN-00417")
    assert token == patient_token(KEY, "MRN-00417") and len(token) == 16
    assert "00417" not in token
    assert token != patient_token(OTHER_KEY, "MRN-00417") != patient_token(KEY, "MRN-00418")


def test_shifts_stay_in_the_default_range_and_differ_between_patients():
    shifts = {shift_days(KEY, patient_token(KEY, f"P{n}")) for n in range(400)}
    assert min(shifts) >= DEFAULT_RANGE[0] and max(shifts) <= DEFAULT_RANGE[1]
    assert len(shifts) > 200  # drawn over the range, not a constant


def test_one_patient_one_shift_per_key():
    token = patient_token(KEY, "P1")
    assert shift_days(KEY, token) == shift_days(KEY, token)
    other_keys = (bytes([n]) * 32 for n in range(20))
    assert {shift_days(k, patient_token(k, "P1")) for k in other_keys} != {shift_days(KEY, token)}


def test_the_range_is_a_deployment_setting(monkeypatch):
    monkeypatch.setenv(RANGE_VARIABLE, "30-30")
    assert shift_days(KEY, patient_token(KEY, "P1")) == 30
    for bad in ("0-10", "10-5", "ten", "5"):
        monkeypatch.setenv(RANGE_VARIABLE, bad)
        with pytest.raises(InvalidInput, match=RANGE_VARIABLE):
            shift_days(KEY, "")
