"""PlanBatch: validate a batch job; say where its objects are listed and where results go.

The listing (``Bucket``, ``Prefix``) feeds the Map's S3 item reader; a file prefix
has an empty bucket (see docs/batch.md for how it is listed locally).
"""

from steps import options as job_options
from steps import storage
from steps.errors import InvalidInput, phi_safe
from steps.log import get_logger

logger = get_logger(__name__)
KEYS = {"source", "destination", "workPrefix", "options", "maxConcurrency", "shard"}
DEFAULT_CONCURRENCY = 8
MAX_CONCURRENCY = 1000


def _prefix(event: dict, name: str) -> str:
    value = event.get(name)
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be a folder reference (file:///dir/ or s3://bucket/prefix/)")
    storage.parse(value)
    return value if value.endswith("/") else value + "/"


def _shard(value) -> dict:
    if value is None:
        return {"index": 0, "count": 1}
    count, index = (value.get("count"), value.get("index")) if isinstance(value, dict) else (None, None)
    if not (isinstance(count, int) and isinstance(index, int) and 0 <= index < count):
        raise InvalidInput("shard must be {\"index\": i, \"count\": n} with 0 <= i < n")
    return {"index": index, "count": count}


@phi_safe
def handler(event: dict, context=None) -> dict:
    unknown = sorted(set(event) - KEYS)
    if unknown:
        raise InvalidInput(f"unknown batch key(s): {', '.join(unknown)}")
    source, destination = _prefix(event, "source"), _prefix(event, "destination")
    work_prefix = _prefix(event, "workPrefix")
    if source.startswith(destination) or destination.startswith(source):
        raise InvalidInput("the source and destination folders must not contain each other")
    options = job_options.validate(event.get("options"))
    concurrency = event.get("maxConcurrency", DEFAULT_CONCURRENCY)
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or not 1 <= concurrency <= MAX_CONCURRENCY:
        raise InvalidInput(f"maxConcurrency must be an integer between 1 and {MAX_CONCURRENCY}")
    _, bucket, key = storage.parse(source)
    _, work_bucket, work_key = storage.parse(work_prefix)
    shard = _shard(event.get("shard"))
    logger.info("batch planned", maxConcurrency=concurrency, shard=shard["index"], shards=shard["count"])
    return {
        "source": source, "destination": destination, "workPrefix": work_prefix, "options": options,
        "maxConcurrency": concurrency, "shard": shard,
        # Every object may fail on its own; each failure is recorded in the manifest.
        "toleratedFailurePercentage": 100,
        "listing": {"Bucket": bucket, "Prefix": key},
        "results": {"Bucket": work_bucket, "Prefix": work_key + "map-results/"},
    }
