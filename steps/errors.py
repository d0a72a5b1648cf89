"""Errors that a step raises on purpose.

The class name is the error name Step Functions sees (the Lambda ``errorType``), so
Retry and Catch clauses in statemachine/*.asl.json match on these names. Messages
say what is wrong without quoting input text, detected values or pixels.
"""


class StepError(Exception):
    """Base class; subclasses are matched by name in the state machines."""

    @classmethod
    def error_name(cls) -> str:
        return cls.__name__


class InvalidInput(StepError):
    """The request or document cannot be processed as given; retrying will not help."""


class SourceUnreadable(StepError):
    """The source object is missing, unreadable or not in the expected format."""


class TooLarge(StepError):
    """The source would decode to more pixels than the budget allows; retrying will not help."""


class ResidualPhi(StepError):
    """The masked output still shows an identifying value of its source; nothing was written."""


class PhiServiceThrottled(StepError):
    """A PHI or OCR service asked us to slow down; retried with backoff and jitter."""


class TransientError(StepError):
    """A temporary failure of a dependency (timeout, 5xx); retried with backoff."""


class EngineUnavailable(StepError):
    """The configured engine cannot run here (missing credentials or package)."""


class InternalError(StepError):
    """An unexpected failure inside a step; the original message is withheld because
    it could quote document content."""


# Faults of a service, not of one document: a step that handles many documents lets these fail it (for its
# Retry) instead of recording them against the document at hand.
SERVICE_ERRORS = (PhiServiceThrottled, TransientError, EngineUnavailable)


def phi_safe(handler):
    """Decorate a step handler so that unexpected exceptions leave with a safe message.

    StepErrors pass through (their messages are written without PHI); anything else
    becomes InternalError naming only the exception class and the step.
    """
    import functools

    @functools.wraps(handler)
    def wrapper(event, context=None):
        try:
            return handler(event, context)
        except StepError:
            raise
        except Exception as exc:
            raise InternalError(f"{type(exc).__name__} in {handler.__module__}") from None

    return wrapper
