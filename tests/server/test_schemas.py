"""api/schemas: valid draft-04 (API Gateway's dialect), each used by a route, and the cases they decide."""

import jsonschema
import pytest

from hdm.server.app import ROUTES
from hdm.server.validation import RequestError, parse_body, schema, schema_names, validate
from steps.errors import InvalidInput
from steps.options import ENTITY_TYPES, IMAGE_MASK_POLICIES, MASK_MODES, check_mode

MODE_BODIES = ["text_request", "image_mask_request", "execution_request"]


@pytest.mark.parametrize("name", schema_names())
def test_every_schema_is_draft_04_and_serves_a_route(name):
    document = schema(name)
    assert document["$schema"] == "http://json-schema.org/draft-04/schema#"
    jsonschema.Draft4Validator.check_schema(document)
    assert document.get("additionalProperties") is False  # unknown keys are refused everywhere
    assert name in {route.body for route in ROUTES} | {route.query for route in ROUTES}


@pytest.mark.parametrize(("threshold", "valid"), [
    (0, True), (1, True), (0.5, True), ("0.1", True), (".5", True), ("1.0", True), ("0", True),
    (-0.01, False), (1.01, False), ("1.01", False), ("2", False), ("f", False), ("", False), ("0x1", False),
    (True, False), (None, False), ([0.1], False), ("1e-1", False),
])
def test_thresholds_are_numbers_or_decimal_strings_in_0_to_1(threshold, valid):
    body = {"text": "note", "phiDetectionThreshold": threshold}
    if valid:
        assert validate(body, "text_request") == body
    else:
        with pytest.raises(RequestError, match="phiDetectionThreshold"):
            validate(body, "text_request")


def test_duplicate_keys_are_found_at_any_depth():
    with pytest.raises(RequestError, match="duplicate key.*: 1"):
        parse_body(b'{"x": {"a": 1, "a": 2}}')


def test_the_image_mask_policies_of_the_api_are_the_jobs():
    assert tuple(schema("image_mask_request")["properties"]["imageMaskPolicy"]["enum"]) == IMAGE_MASK_POLICIES


@pytest.mark.parametrize("name", MODE_BODIES)
def test_the_modes_of_the_api_are_the_jobs(name):
    one_name, per_type = schema(name)["properties"]["mode"]["oneOf"]
    assert tuple(one_name["enum"]) == MASK_MODES
    assert tuple(per_type["properties"]) == ENTITY_TYPES
    assert {tuple(s["enum"]) for s in per_type["properties"].values()} == {MASK_MODES}


def test_every_masking_body_describes_mode_and_patient_id_alike():
    """Three files (API Gateway models cannot share a definition), one definition of each field."""
    for field in ("mode", "patientId"):
        definitions = [{k: v for k, v in schema(n)["properties"][field].items() if k != "description"}
                       for n in MODE_BODIES]
        assert definitions[1:] == definitions[:-1], field


@pytest.mark.parametrize("mode", [
    *MASK_MODES, "Surrogate", "", None, 7, [], ["hash"], {}, {"NAME": "hash"}, {t: "surrogate" for t in ENTITY_TYPES},
    {"NAME": "surrogate", "ID": "hash"}, {"name": "hash"}, {"NAME": "Hash"}, {"NAME": None}, {"NAME": {"x": 1}},
    {"NAME": "hash", "CITY": "hash"}])
def test_the_schemas_accept_exactly_the_modes_the_jobs_accept(mode):
    try:
        check_mode(mode)
        accepted = True
    except InvalidInput:
        accepted = False
    body = {"text": "note", "mode": mode}
    if accepted:
        assert validate(body, "text_request") == body
    else:
        with pytest.raises(RequestError, match="^mode"):
            validate(body, "text_request")
