"""The API's error contract: a failed execution's error name -> HTTP status and body.

One table for both APIs: infra/templates.py generates the mapping templates of the
deployed routes from it, and hdm/server answers with it. The names are the ASL error
names (steps.errors classes, and the States.* errors of Step Functions itself).
Bodies are ``{"error": NAME, "message": ...}``: the message is the step's own
(PHI-free by design, steps.errors); no part of the request is echoed.
"""

import json

STATUS_BY_ERROR = {
    "InvalidInput": 400,
    "SourceUnreadable": 422,
    "ResidualPhi": 422,
    "TooLarge": 413,
    "States.DataLimitExceeded": 413,
    "PhiServiceThrottled": 503,
    "TransientError": 503,
    "EngineUnavailable": 503,
    "States.Timeout": 504,
    # A Lambda function that ran past its own timeout (set below its state's TimeoutSeconds by infra/).
    "Sandbox.Timedout": 504,
}
# An execution that ran out of time has this status (and may carry no error name).
TIMED_OUT = "TIMED_OUT"
TIMEOUT_STATUS = 504
DEFAULT_STATUS = 500
# Statuses that tell the caller to come back; Retry-After says when (seconds).
RETRY_AFTER = {503: "5"}


def error_name(error: str | None, execution_status: str) -> str:
    """The name a failed execution is reported under: its error, else its status."""
    return error or execution_status


def status_for(error: str | None, execution_status: str) -> int:
    if execution_status == TIMED_OUT:
        return TIMEOUT_STATUS
    return STATUS_BY_ERROR.get(error_name(error, execution_status), DEFAULT_STATUS)


def headers_for(status: int) -> dict[str, str]:
    return {"Retry-After": RETRY_AFTER[status]} if status in RETRY_AFTER else {}


def message_of(cause: str | None) -> str:
    """A Lambda failure's cause is a JSON object: its errorMessage. Any other cause as it is."""
    cause = cause or ""
    if cause.startswith("{"):
        try:
            return str(json.loads(cause).get("errorMessage", ""))
        except (ValueError, AttributeError):
            return cause
    return cause


def body(error: str | None, execution_status: str, cause: str | None) -> dict:
    return {"error": error_name(error, execution_status), "message": message_of(cause)}


def statuses() -> dict[int, list[str]]:
    """Status -> the error names that map to it, in table order."""
    grouped: dict[int, list[str]] = {}
    for name, status in STATUS_BY_ERROR.items():
        grouped.setdefault(status, []).append(name)
    return grouped
