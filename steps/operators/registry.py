"""The operators by name, and the one a request's ``mode`` chooses for each entity type.

``mode`` is an operator name for every type ("surrogate"), or an object naming one per type
({"NAME": "surrogate", "DATE": "surrogate", "ID": "hash"}); a type it does not name gets its
type label. steps.options checks a mode before any step uses it.
"""

from collections.abc import Callable

from steps.operators import date_shift
from steps.operators.hash_token import HashToken
from steps.operators.mask_chars import MaskChars
from steps.operators.operator import Operator, OperatorContext
from steps.operators.redact import Redact
from steps.operators.surrogate import Surrogate
from steps.operators.type_label import TypeLabel
from steps.pseudonym_key import job_key

DEFAULT_OPERATOR = "type"
OPERATORS: dict[str, Operator] = {op.name: op for op in (TypeLabel(), Redact(), MaskChars(), Surrogate(), HashToken())}


def operator_names(mode: str | dict) -> set[str]:
    return {mode} if isinstance(mode, str) else {*mode.values(), DEFAULT_OPERATOR}


def operator_for(mode: str | dict, entity_type: str) -> Operator:
    return OPERATORS[mode if isinstance(mode, str) else mode.get(entity_type, DEFAULT_OPERATOR)]


def needs_key(mode: str | dict) -> bool:
    return any(OPERATORS[name].keyed for name in operator_names(mode))


def uses_surrogates(mode: str | dict) -> bool:
    return Surrogate.name in operator_names(mode)


def job_context(options: dict, key_prefix: str) -> OperatorContext:
    """The operator context of a job's documents: with a keyed mode, the deployment's key or
    the job's own (made on first use under ``key_prefix``, the job's work area: a job's first
    step calls this before its parallel steps do) and the shift of the job's ``patientToken``."""
    if not needs_key(options["mode"]):
        return OperatorContext()
    key = job_key(key_prefix)
    return OperatorContext(key, date_shift.shift_days(key, options.get("patientToken") or ""))


def with_patient(options: dict, patient_id: str | None, key: Callable[[], bytes]) -> dict:
    """``options`` with the patient's keyed token (``patientToken``) when its mode is keyed: the
    patient matters to the keyed operators only. ``key`` is called only then (it may read a secret,
    or make a job's own key), and the identity itself never joins the options."""
    if patient_id is None or not needs_key(options.get("mode") or DEFAULT_OPERATOR):
        return options
    return {**options, "patientToken": date_shift.patient_token(key(), patient_id)}
