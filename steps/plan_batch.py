"""PlanBatch: validate a batch job, list its objects and cut the listing into batches.

One child run per batch, so that a thousand one-page notes cost a few state
transitions, not ten thousand. A batch holds at most ``batchSize`` objects and at
most ``WORKFLOWS_PER_BATCH`` of those that need their own workflow (images, long
texts), which its child runs one after the other: the Map's concurrency then bounds
how many images are in flight.

Objects already done are left out: the journal (steps.batch.journal) says they were
masked from this very version of the source (same ETag) and their output is there,
so a resumed or repeated run skips them. Each batch's listing is written to the work
area as it is cut; the Map's S3 item reader reads the index of them, a JSON array of
``{"objects": <reference>, "count": n}``. States carry these references, never the
listings. A file prefix has an empty bucket (see docs/batch.md).
"""

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from steps import options as job_options
from steps import storage
from steps.batch import journal, objects
from steps.errors import InvalidInput, phi_safe
from steps.log import get_logger
from steps.operators.registry import job_context

logger = get_logger(__name__)
KEYS = {"source", "destination", "workPrefix", "options", "maxConcurrency", "shard", "batchSize"}
DEFAULT_CONCURRENCY = 8
MAX_CONCURRENCY = 1000
DEFAULT_BATCH_SIZE = 500  # objects
MAX_BATCH_SIZE = 10_000
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


def _done_check(destination: str) -> Callable[[dict, str], bool]:
    """Whether a listed object was masked from its current version and its output is still there."""
    records = journal.latest(destination)
    if not records:  # a first run: nothing can be done, and the destination need not be listed
        return lambda entry, relative: False
    if storage.parse(destination)[0] == "file":
        present = os.path.exists
    else:  # one listing rather than a HEAD request per object
        present = {storage.parse(ref)[2] for ref in storage.list_objects(destination)}.__contains__

    def done(entry: dict, relative: str) -> bool:
        record = records.get(relative)
        return (record is not None and record["status"] == "masked" and record["version"] == entry.get("ETag")
                and present(storage.parse(storage.join(destination, relative))[2]))

    return done


def batches(entries: Iterable[dict], listing: dict, shard: dict, options: dict, size: int,
            done: Callable[[dict, str], bool]) -> Iterator[list[dict]]:
    """This shard's listed objects that are not done (folder markers left out), in batches.

    Shards take turns over the listing, separately for the objects that need a workflow of
    their own and for the others, so each gets an even share of both kinds of work.
    """
    batch, workflows, seen = [], 0, Counter()
    for entry in entries:
        if objects.kind_of(entry["Key"]) == "folder":
            continue
        heavy = objects.needs_workflow(entry, options)
        turn, seen[heavy] = seen[heavy], seen[heavy] + 1
        relative = objects.relative_path(listing, entry["Key"])
        if turn % shard["count"] != shard["index"] or done(entry, relative):
            continue
        batch.append(entry)
        workflows += heavy
        if len(batch) == size or workflows == WORKFLOWS_PER_BATCH:
            yield batch
            batch, workflows = [], 0
    if batch:
        yield batch


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
    job_context(options, work_prefix)  # a keyed job's own key, if no deployment key: made before its batches run
    concurrency = job_options.bounded_integer(
        event.get("maxConcurrency", DEFAULT_CONCURRENCY), "maxConcurrency", 1, MAX_CONCURRENCY)
    size = job_options.bounded_integer(
        event.get("batchSize", DEFAULT_BATCH_SIZE), "batchSize", 1, MAX_BATCH_SIZE)
    _, bucket, key = storage.parse(source)
    _, work_bucket, work_key = storage.parse(work_prefix)
    listing, shard = {"Bucket": bucket, "Prefix": key}, _shard(event.get("shard"))
    index = []
    cut = batches(storage.list_entries(source), listing, shard, options, size, _done_check(destination))
    for number, batch in enumerate(cut):
        ref = storage.join(work_prefix, f"batches/{number:06d}.json")
        storage.write_json(ref, batch)
        index.append({"objects": ref, "count": len(batch)})
    storage.write_json(storage.join(work_prefix, BATCHES_NAME), index)
    logger.info("batch planned", batches=len(index), objects=sum(b["count"] for b in index),
                maxConcurrency=concurrency, shard=shard["index"], shards=shard["count"])
    return {
        "source": source, "destination": destination, "workPrefix": work_prefix, "options": options,
        "maxConcurrency": concurrency, "shard": shard,
        # Every object may fail on its own; each failure is recorded in the manifest.
        "toleratedFailurePercentage": 100,
        "listing": listing,
        "batches": {"Bucket": work_bucket, "Key": work_key + BATCHES_NAME},
        "results": {"Bucket": work_bucket, "Prefix": work_key + "map-results/"},
    }
