"""Amazon Comprehend Medical DetectPHI as a PHI engine."""

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from steps.errors import EngineUnavailable, InvalidInput, PhiServiceThrottled, TransientError

_THROTTLED = {"ThrottlingException", "TooManyRequestsException"}
_TRANSIENT = {"InternalServerException", "ServiceUnavailableException"}
_INVALID = {"InvalidRequestException", "TextSizeLimitExceededException", "InvalidEncodingException",
            "ValidationException"}


class ComprehendMedicalEngine:
    name = "comprehend-medical"

    def __init__(self, client=None):
        # One attempt: throttling and 5xx surface to Step Functions, whose Retry
        # applies backoff with jitter across the whole Map instead of per call.
        self.client = client or boto3.client(
            "comprehendmedical", config=Config(retries={"mode": "standard", "max_attempts": 1})
        )

    def detect(self, text: str) -> list[dict]:
        try:
            response = self.client.detect_phi(Text=text)
        except NoCredentialsError:
            raise EngineUnavailable("comprehend-medical needs AWS credentials") from None
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in _THROTTLED:
                raise PhiServiceThrottled(f"DetectPHI throttled: {code}") from None
            if code in _TRANSIENT:
                raise TransientError(f"DetectPHI unavailable: {code}") from None
            if code in _INVALID:
                raise InvalidInput(f"DetectPHI rejected the text: {code}") from None
            raise EngineUnavailable(f"DetectPHI failed: {code}") from None
        except BotoCoreError as exc:
            raise TransientError(f"DetectPHI request failed: {type(exc).__name__}") from None
        return [
            {"BeginOffset": e["BeginOffset"], "EndOffset": e["EndOffset"], "Type": e["Type"],
             "Score": e["Score"], "Text": e.get("Text", text[e["BeginOffset"]:e["EndOffset"]])}
            for e in response.get("Entities", [])
        ]
