"""One test per operator, and the mode that chooses them per entity type."""

import pytest

from steps.errors import InternalError, InvalidInput
from steps.operators.anonymizer import anonymize
from steps.operators.hash_token import HashToken
from steps.operators.mask_chars import MaskChars
from steps.operators.operator import OperatorContext
from steps.operators.redact import REDACTION, Redact
from steps.operators.registry import OPERATORS, needs_key, operator_for
from steps.operators.surrogate import Surrogate
from steps.operators.type_label import TypeLabel
from steps.options import MASK_MODES, validate

KEY, OTHER_KEY = b"k" * 32, b"o" * 32
KEYED = OperatorContext(KEY, shift_days=30)


def test_every_mode_name_is_an_operator():
    assert set(OPERATORS) == set(MASK_MODES)
    assert needs_key("surrogate") and needs_key("hash") and needs_key({"ID": "hash"})
    assert not needs_key("type") and not needs_key("mask-chars") and not needs_key({"NAME": "redact"})


def test_type_label_is_the_entity_type():
    assert TypeLabel().operate("NAME", "Carlos Salazar", OperatorContext()) == "NAME"


def test_redact_is_one_fixed_run_whatever_the_value():
    assert Redact().operate("NAME", "Carlos Salazar", OperatorContext()) == REDACTION
    assert Redact().operate("ID", "1", OperatorContext()) == REDACTION


def test_mask_chars_hides_each_character_and_keeps_line_breaks():
    assert MaskChars().operate("ADDRESS", "12 Main St\nBoston", OperatorContext()) == "**********\n******"


def test_hash_is_a_keyed_token_of_the_value_whatever_its_case_and_spacing():
    token = HashToken().operate("NAME", "Carlos Salazar", KEYED)
    assert token.startswith("NAME-") and len(token) == len("NAME-") + 16
    assert "Carlos" not in token and "Salazar" not in token
    assert HashToken().operate("NAME", "CARLOS  salazar", KEYED) == token
    assert HashToken().operate("NAME", "Carlos Salazar", OperatorContext(OTHER_KEY)) != token
    assert HashToken().operate("NAME", "Carla Salazar", KEYED) != token
    with pytest.raises(InternalError):
        HashToken().operate("NAME", "Carlos Salazar", OperatorContext())


def test_surrogate_is_a_value_of_the_same_kind():
    replaced = Surrogate().operate("NAME", "SALAZAR, CARLOS", KEYED)
    last, first = replaced.split(", ")
    assert replaced.isupper() and last != "SALAZAR" and first != "CARLOS"
    assert Surrogate().operate("NAME", "SALAZAR, CARLOS", OperatorContext(KEY, shift_days=30)) == replaced


def test_a_mode_object_chooses_an_operator_per_type_and_the_rest_get_their_type():
    text = "Carlos Salazar, MRN RQ36114734, seen 2/11/2019"
    entities = [{"BeginOffset": 0, "EndOffset": 14, "Type": "NAME"},
                {"BeginOffset": 20, "EndOffset": 30, "Type": "ID"},
                {"BeginOffset": 37, "EndOffset": 46, "Type": "DATE"}]
    masked = anonymize(text, entities, {"NAME": "mask-chars", "ID": "hash"}, KEYED)
    assert masked.text.startswith("**************, MRN ID-")
    assert masked.text.endswith(", seen DATE")
    assert masked.counts_by_operator() == {"hash": 1, "mask-chars": 1, "type": 1}
    assert operator_for({"NAME": "hash"}, "DATE").name == "type"


@pytest.mark.parametrize("mode, message", [
    ("scramble", "mode must be one of type, redact, mask-chars, surrogate, hash"),
    ({"NAME": "scramble"}, "mode for NAME must be one of"),
    ({"PATIENT": "hash"}, "mode names an unknown entity type"),
    ({}, "mode must be one of"),
    (["hash"], "mode must be one of"),
])
def test_a_bad_mode_is_named(mode, message):
    with pytest.raises(InvalidInput, match=message):
        validate({"mode": mode})


def test_only_a_patient_token_may_ride_in_the_options():
    assert validate({"patientToken": "HDM0123456789ABC"})["patientToken"] == "HDM0123456789ABC"
    with pytest.raises(InvalidInput, match="never a patient identity"):
        validate({"patientToken": "MRN-00417"})
