"""Amazon Comprehend Medical DetectPHI as a PHI engine."""

import boto3
from botocore.config import Config

from steps.aws_calls import service_call

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
        with service_call("DetectPHI", "comprehend-medical", _INVALID, "text"):
            response = self.client.detect_phi(Text=text)
        return [
            {"BeginOffset": e["BeginOffset"], "EndOffset": e["EndOffset"], "Type": e["Type"],
             "Score": e["Score"], "Text": e.get("Text", text[e["BeginOffset"]:e["EndOffset"]])}
            for e in response.get("Entities", [])
        ]
