"""Deployment choices, read from CDK context (cdk.json or ``cdk synth -c key=value``)."""

import os
from dataclasses import dataclass, fields
from unittest import mock

from steps.errors import InvalidInput
from steps.operators import date_shift

# managed: Amazon Comprehend Medical + Rekognition (the original's behaviour).
# builtin: the offline engines inside Lambda (container image): no PHI reaches a managed AI service.
ENGINES = ("managed", "builtin")
PHI_ENGINE = {"managed": "comprehend-medical", "builtin": "builtin"}
OCR_ENGINE = {"managed": "rekognition", "builtin": "rapidocr"}
# Context key -> Settings field, for the integer settings.
_NUMBERS = {"functionConcurrency": "function_concurrency", "workExpiryDays": "work_expiry_days",
            "apiRateLimit": "api_rate_limit", "apiBurstLimit": "api_burst_limit"}


@dataclass(frozen=True)
class Settings:
    engines: str = "managed"
    # Reserved concurrency per function: bounds the DetectPhi Map fan-out and what a burst can cost.
    function_concurrency: int = 20
    # Per-execution work areas (inline text, chunk detections) expire after this many days.
    work_expiry_days: int = 1
    api_rate_limit: int = 20
    api_burst_limit: int = 40
    batch_schedule: str = "cron(0 2 * * ? *)"
    batch_schedule_enabled: bool = False
    # How many days back one patient's dates move (MIN-MAX, steps/operators/date_shift.py). A deployment
    # setting, never a request's: a change gives every patient a new shift, as a new key would.
    date_shift_days: str = "{}-{}".format(*date_shift.DEFAULT_RANGE)

    @property
    def phi_engine(self) -> str:
        return PHI_ENGINE[self.engines]

    @property
    def ocr_engine(self) -> str:
        return OCR_ENGINE[self.engines]


def from_context(node) -> Settings:
    """Settings from the app's context; a bad value fails the synth with one clear line."""
    defaults = {f.name: f.default for f in fields(Settings)}

    def get(key, field):
        value = node.try_get_context(key)
        return defaults[field] if value is None else value

    engines = get("engines", "engines")
    if engines not in ENGINES:
        raise ValueError(f"context 'engines' must be one of {', '.join(ENGINES)}, not {engines!r}")
    numbers = {}
    for key, field in _NUMBERS.items():
        raw = get(key, field)
        try:
            numbers[field] = int(raw)
        except (TypeError, ValueError):
            raise ValueError(f"context {key!r} must be an integer, not {raw!r}") from None
        if numbers[field] < 1:
            raise ValueError(f"context {key!r} must be at least 1")
    enabled = get("batchScheduleEnabled", "batch_schedule_enabled")
    return Settings(engines=engines, batch_schedule=get("batchSchedule", "batch_schedule"),
                    batch_schedule_enabled=enabled is True or str(enabled).lower() == "true",
                    date_shift_days=_date_shift_days(str(get("dateShiftDays", "date_shift_days"))), **numbers)


def _date_shift_days(value: str) -> str:
    """``value`` if the steps will accept it (they read it as their functions' environment)."""
    with mock.patch.dict(os.environ, {date_shift.RANGE_VARIABLE: value}):
        try:
            low, high = date_shift.configured_range()
        except InvalidInput as exc:
            raise ValueError(f"context 'dateShiftDays': {exc}") from None
    return f"{low}-{high}"
