"""Calls to AWS AI services, with their failures mapped to the step errors Retry/Catch match."""

import contextlib

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from steps.errors import EngineUnavailable, InvalidInput, PhiServiceThrottled, TransientError

THROTTLED = {"ThrottlingException", "TooManyRequestsException", "ProvisionedThroughputExceededException",
             "LimitExceededException"}
TRANSIENT = {"InternalServerException", "InternalServerError", "ServiceUnavailableException"}


@contextlib.contextmanager
def service_call(operation: str, service: str, invalid_codes: set[str], subject: str):
    """Raise the step error for a failed ``operation``; messages name only the error code.

    ``invalid_codes`` are the service's answers meaning the input itself was refused
    (``subject`` names what was refused: "text", "image").
    """
    try:
        yield
    except NoCredentialsError:
        raise EngineUnavailable(f"{service} needs AWS credentials") from None
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in THROTTLED:
            raise PhiServiceThrottled(f"{operation} throttled: {code}") from None
        if code in TRANSIENT:
            raise TransientError(f"{operation} unavailable: {code}") from None
        if code in invalid_codes:
            raise InvalidInput(f"{operation} rejected the {subject}: {code}") from None
        raise EngineUnavailable(f"{operation} failed: {code}") from None
    except BotoCoreError as exc:
        raise TransientError(f"{operation} request failed: {type(exc).__name__}") from None
