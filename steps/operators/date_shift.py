"""The keyed patient identity and the per-patient date shift.

A patient is known by a token, never by the identity itself: ``patient_token`` is an
HMAC of the identity (a note's ``--patient``/``patientId``, a DICOM PatientID) under the
pseudonym key. The token is what rides in execution input and what a DICOM PatientID becomes.

Every date of one patient moves back by the same number of days, drawn from the key and
the token, so intervals are kept exactly (the day of week is not). The same key and patient
give the same shift in a note and in that patient's DICOM headers. The range is a
deployment setting (``HDM_DATE_SHIFT_DAYS=MIN-MAX``, default 1-365 days back): a range per
request would give one patient two shifts.
"""

import os

from steps.errors import InvalidInput
from steps.pseudonym_key import keyed_digest

RANGE_VARIABLE = "HDM_DATE_SHIFT_DAYS"
DEFAULT_RANGE = (1, 365)


TOKEN_PREFIX, TOKEN_HEX_DIGITS = "HDM", 13


def patient_token(key: bytes, patient_id: str) -> str:
    """The patient's keyed pseudonym (16 characters, fits a DICOM LO and SH)."""
    return TOKEN_PREFIX + keyed_digest(key, "patient-id", patient_id).hex()[:TOKEN_HEX_DIGITS].upper()


def is_patient_token(value) -> bool:
    """Whether ``value`` has a patient token's form (what travels instead of the identity)."""
    rest = value[len(TOKEN_PREFIX):] if isinstance(value, str) and value.startswith(TOKEN_PREFIX) else ""
    return len(rest) == TOKEN_HEX_DIGITS and all(c in "0123456789ABCDEF" for c in rest)


def shift_days(key: bytes, token: str, days: tuple[int, int] | None = None) -> int:
    """How many days back this patient's dates move; ``token`` from ``patient_token``
    (an empty token: the documents that name no patient share one shift per key)."""
    low, high = days or configured_range()
    return low + int.from_bytes(keyed_digest(key, "date-shift", token)[:8], "big") % (high - low + 1)


def configured_range() -> tuple[int, int]:
    value = os.environ.get(RANGE_VARIABLE, "").strip()
    if not value:
        return DEFAULT_RANGE
    low, sep, high = value.partition("-")
    if not (sep and low.strip().isdigit() and high.strip().isdigit() and 1 <= int(low) <= int(high)):
        raise InvalidInput(f"{RANGE_VARIABLE} must be MIN-MAX whole days back with 1 <= MIN <= MAX, like 1-365")
    return int(low), int(high)
