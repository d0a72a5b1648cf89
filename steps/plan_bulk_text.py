"""PlanBulkText: validate a bulk text job and cut its JSON Lines source into batches.

The source is read once, as a stream (a file of any length in bounded memory), and cut
into runs of at most ``batchSize`` lines and about ``MAX_BATCH_BYTES``; a batch is its
byte range in the source, so the states carry offsets, never lines. Their list goes to
the work area, where the DISTRIBUTED Map's item reader reads it (moto 5.2.5 parses
neither ItemBatcher nor JSONL input, and the same definition runs on AWS). A batch whose
results are already in the work area (an interrupted job run again) is left out; the
results of batches this plan does not have (an earlier run cut with another ``batchSize``)
are deleted, so that AssembleBulkText joins this plan's batches only. A line longer than a
document may be becomes a batch of its own, never read.
"""

from collections.abc import Iterable, Iterator

from steps import options as job_options
from steps import storage
from steps.bulk import parts
from steps.bulk.documents import OPERATIONS
from steps.errors import InvalidInput, phi_safe
from steps.log import get_logger
from steps.operators.registry import job_context
from steps.text.document import MAX_DOCUMENT_BYTES

logger = get_logger(__name__)
KEYS = {"source", "destination", "workPrefix", "operation", "options", "batchSize", "maxConcurrency"}
DEFAULT_BATCH_SIZE = 500  # lines
MAX_BATCH_SIZE = 100_000
MAX_BATCH_BYTES = 8 * 1024 * 1024  # what one invocation reads at once
DEFAULT_CONCURRENCY = 8
MAX_CONCURRENCY = 1000
BATCHES_NAME = "batches.json"


def line_spans(pieces: Iterable[bytes]) -> Iterator[tuple[int, int]]:
    """(start, end) byte offsets of each line of a stream, the newline included; holds one piece at a time."""
    start = offset = 0
    for piece in pieces:
        position = piece.find(b"\n")
        while position != -1:
            yield start, offset + position + 1
            start = offset + position + 1
            position = piece.find(b"\n", position + 1)
        offset += len(piece)
    if offset > start:  # a last line without its newline
        yield start, offset


def batches(spans: Iterable[tuple[int, int]], size: int) -> Iterator[dict]:
    """Consecutive lines in batches: ``{"firstLine", "lines", "byteStart", "byteEnd"}`` (lines from 0)."""
    batch = None
    for number, (start, end) in enumerate(spans):
        too_large = end - start > MAX_DOCUMENT_BYTES
        if batch is not None and (too_large or batch["lines"] == size or end - batch["byteStart"] > MAX_BATCH_BYTES):
            yield batch
            batch = None
        if too_large:
            yield {"firstLine": number, "lines": 1, "byteStart": start, "byteEnd": end, "tooLarge": True}
            continue
        if batch is None:
            batch = {"firstLine": number, "lines": 0, "byteStart": start}
        batch["lines"] += 1
        batch["byteEnd"] = end
    if batch is not None:
        yield batch


def _done(work_prefix: str) -> dict[str, dict]:
    """Summary reference -> summary, for the batches an earlier run of this job finished."""
    return {ref: storage.read_json(ref) for ref in parts.summaries(work_prefix)}


@phi_safe
def handler(event: dict, context=None) -> dict:
    unknown = sorted(set(event) - KEYS)
    if unknown:
        raise InvalidInput(f"unknown bulk text key(s): {', '.join(unknown)}")
    options, operation, work_prefix, destination = job_options.validate_job(event, OPERATIONS)
    if destination is None:
        raise InvalidInput("a bulk text job needs a destination for its results")
    source = event.get("source")
    storage.parse(source)
    job_options.check_destination(destination, source)
    size = job_options.bounded_integer(
        event.get("batchSize", DEFAULT_BATCH_SIZE), "batchSize", 1, MAX_BATCH_SIZE)
    concurrency = job_options.bounded_integer(
        event.get("maxConcurrency", DEFAULT_CONCURRENCY), "maxConcurrency", 1, MAX_CONCURRENCY)
    job_context(options, work_prefix)  # a keyed job's own key, if no deployment key: made before the batches read it
    done = _done(work_prefix)
    index, lines, resumed, kept = [], 0, 0, set()
    for batch in batches(line_spans(storage.read_chunks(source)), size):
        lines += batch["lines"]
        earlier = done.get(parts.summary_ref(work_prefix, batch["firstLine"]))
        if earlier is not None and parts.same_batch(earlier, batch):
            resumed += batch["lines"]
            kept.add(batch["firstLine"])
        else:
            index.append(batch)
    for stale in (summary for summary in done.values() if summary["firstLine"] not in kept):
        parts.delete_batch(work_prefix, stale["firstLine"])
    storage.write_json(storage.join(work_prefix, BATCHES_NAME), index)
    logger.info("bulk text planned", lines=lines, batches=len(index), resumedLines=resumed,
                maxConcurrency=concurrency)
    _, work_bucket, work_key = storage.parse(work_prefix)
    return {
        "source": source, "destination": destination, "workPrefix": work_prefix, "operation": operation,
        "options": options, "maxConcurrency": concurrency,
        "plan": {"lines": lines, "batches": len(index), "resumedLines": resumed},
        "batches": {"Bucket": work_bucket, "Key": work_key.rstrip("/") + "/" + BATCHES_NAME},
        "results": {"Bucket": work_bucket, "Prefix": work_key.rstrip("/") + "/map-results/"},
    }
