"""Schemathesis hooks (loaded through SCHEMATHESIS_HOOKS) for the one rule JSON Schema cannot state.

A destination equal to its source is refused with 400 by contract, but a schema
cannot compare two fields: a generated "valid" body naming the same object twice
is not valid data, so it gets a distinct destination key before it is sent.
"""

import posixpath

import schemathesis
from schemathesis import GenerationMode


def _same_object(body) -> bool:
    if not isinstance(body, dict) or body.get("s3Bucket") != body.get("destinationBucket"):
        return False
    source, destination = body.get("s3Key"), body.get("destinationKey")
    return (isinstance(source, str) and isinstance(destination, str)
            and posixpath.normpath("/" + source) == posixpath.normpath("/" + destination))


@schemathesis.hook
def map_case(context, case):
    if case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE and _same_object(case.body):
        case.body = {**case.body, "destinationKey": case.body["destinationKey"] + ".masked"}
    return case
