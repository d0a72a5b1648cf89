"""PlanBatch: validate a batch job, list its objects and cut the listing into batches.

The batches (a JSON array in the work area) feed the Map's S3 item reader: one child
run per batch, so that a thousand one-page notes cost a few state transitions, not
ten thousand. A batch holds at most ``batchSize`` objects and at most
``WORKFLOWS_PER_BATCH`` of those that need their own workflow (images, long texts),
which its child runs one after the other: the Map's concurrency then bounds how many
images are in flight. A file prefix has an empty bucket (see docs/batch.md).
"""

from collections.abc import Iterable, Iterator

from steps import options as job_options
from steps import storage
from steps.batch import objects
from steps.errors import InvalidInput, phi_safe
from steps.log import get_logger

logger = get_logger(__name__)
KEYS = {"source", "destination", "workPrefix", "options", "maxConcurrency", "shard", "batchSize"}
DEFAULT_CONCURRENCY = 8
MAX_CONCURRENCY = 1000
DEFAULT_BATCH_SIZE = 500  # objects; their listing entries stay well inside a 256 KB state payload
MAX_BATCH_SIZE = 1000
WORKFLOWS_PER_BATCH = 4
BATCHES_NAME = "batches.json"


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


def _integer(event: dict, name: str, default: int, high: int) -> int:
    value = event.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
        raise InvalidInput(f"{name} must be an integer between 1 and {high}")
    return value


def batches(entries: Iterable[dict], listing: dict, shard: dict, options: dict, size: int) -> Iterator[dict]:
    """This shard's listed objects (folder markers left out), in batches."""
    batch, workflows = [], 0
    for entry in entries:
        if objects.kind_of(entry["Key"]) == "folder" or not objects.in_shard(
                objects.relative_path(listing, entry["Key"]), shard):
            continue
        batch.append(entry)
        workflows += objects.needs_workflow(entry, options)
        if len(batch) == size or workflows == WORKFLOWS_PER_BATCH:
            yield {"objects": batch}
            batch, workflows = [], 0
    if batch:
        yield {"objects": batch}


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
    concurrency = _integer(event, "maxConcurrency", DEFAULT_CONCURRENCY, MAX_CONCURRENCY)
    size = _integer(event, "batchSize", DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE)
    _, bucket, key = storage.parse(source)
    _, work_bucket, work_key = storage.parse(work_prefix)
    listing, shard = {"Bucket": bucket, "Prefix": key}, _shard(event.get("shard"))
    planned = list(batches(storage.list_entries(source), listing, shard, options, size))
    storage.write_json(storage.join(work_prefix, BATCHES_NAME), planned)
    logger.info("batch planned", batches=len(planned), maxConcurrency=concurrency, shard=shard["index"],
                shards=shard["count"])
    return {
        "source": source, "destination": destination, "workPrefix": work_prefix, "options": options,
        "maxConcurrency": concurrency,
        # Every object may fail on its own; each failure is recorded in the manifest.
        "toleratedFailurePercentage": 100,
        "listing": listing,
        "batches": {"Bucket": work_bucket, "Key": work_key + BATCHES_NAME},
        "results": {"Bucket": work_bucket, "Prefix": work_key + "map-results/"},
    }
