"""GET /image: a short-lived pre-signed URL for an object of the data bucket (API Gateway proxy event).

The caller already passed AWS_IAM authorization; this function may read only the data
bucket. Object keys can name a patient: they are never logged.
"""

import json
import os

import boto3
from botocore.config import Config

EXPIRES_SECONDS = 300
_s3 = boto3.client("s3", config=Config(signature_version="s3v4"))


def _answer(status: int, body: dict) -> dict:
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def handler(event: dict, context=None) -> dict:
    query = event.get("queryStringParameters") or {}
    bucket, key = query.get("s3Bucket"), query.get("s3Key")
    if not bucket or not key:
        return _answer(400, {"message": "s3Bucket and s3Key are required"})
    if bucket != os.environ["DATA_BUCKET"]:
        return _answer(400, {"message": "s3Bucket must be the deployment's data bucket"})
    url = _s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key},
                                     ExpiresIn=EXPIRES_SECONDS)
    return _answer(200, {"url": url, "expiresIn": EXPIRES_SECONDS})
