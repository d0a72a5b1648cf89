"""Schemathesis hooks (loaded through SCHEMATHESIS_HOOKS) for what JSON Schema cannot state.

Valid data must be accepted, but two rules span requests or fields: a destination
equal to its source is refused with 400 by contract (a schema cannot compare two
fields), and an object written by one generated request could be read by a later
one as an image that is not an image. So every generated valid body writes into a
bucket of its own that no generated read names.
"""

import schemathesis
from schemathesis import GenerationMode

OUTPUT_BUCKET = "fuzz-output"


@schemathesis.hook
def map_case(context, case):
    body = case.body
    positive = case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE
    if positive and isinstance(body, dict) and "destinationBucket" in body:
        body = {**body, "destinationBucket": OUTPUT_BUCKET}
        if body.get("s3Bucket") == OUTPUT_BUCKET:
            body["s3Bucket"] = "fuzz-input"
        case.body = body
    if positive and isinstance(case.query, dict) and case.query.get("s3Bucket") == OUTPUT_BUCKET:
        case.query = {**case.query, "s3Bucket": "fuzz-input"}
    return case
