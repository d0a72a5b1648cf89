"""The objects of a batch: which workflow masks each, where its output and its record go.

Shared by the batch states (PlanBatch, MaskBatch, PlanObject, RecordResult,
WriteManifest) so that every one of them derives paths and records the same way.
"""

import hashlib

from steps import storage
from steps.errors import SourceUnreadable

TEXT_SUFFIXES = (".txt",)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".dcm")
# Per-object records live next to the outputs, so a later run (resumed or scheduled) skips done objects.
STATE_FOLDER = ".hdm-batch"
MANIFEST_NAME = "manifest.jsonl"
STATUSES = ("masked", "failed", "unsupported")


def kind_of(key: str) -> str:
    """``text``, ``image``, ``folder`` (an S3 folder marker) or ``unsupported``, by name."""
    if key.endswith("/"):
        return "folder"
    name = key.rpartition("/")[2].lower()
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    if name.endswith(IMAGE_SUFFIXES):
        return "image"
    return "unsupported"


def needs_workflow(item: dict, options: dict) -> bool:
    """Images and texts longer than one DetectPHI call go through their own workflow; short texts do not."""
    kind = kind_of(item["Key"])
    return kind == "image" or (kind == "text" and item["Size"] > options["maxChunkBytes"])


def source_ref(listing: dict, key: str) -> str:
    """The reference of a listed key; a file listing has no bucket and absolute keys."""
    return storage.s3_ref(listing["Bucket"], key) if listing["Bucket"] else storage.file_ref(key)


def relative_path(listing: dict, key: str) -> str:
    return key.removeprefix(listing["Prefix"]).lstrip("/")


def digest(relative: str) -> str:
    return hashlib.sha256(relative.encode("utf-8")).hexdigest()


def state_prefix(destination: str) -> str:
    return storage.join(destination, STATE_FOLDER)


def records_prefix(destination: str) -> str:
    return storage.join(state_prefix(destination), "records")


def record_ref(destination: str, relative: str) -> str:
    return storage.join(records_prefix(destination), f"{digest(relative)}.json")


def manifest_ref(destination: str) -> str:
    return storage.join(destination, MANIFEST_NAME)


def _done(record: str, destination: str, version: str | None) -> bool:
    try:
        previous = storage.read_json(record)
        storage.size(destination)
    except (SourceUnreadable, ValueError):
        return False
    return previous.get("status") == "masked" and previous.get("version") == version


def plan(item: dict, listing: dict, destination: str, work_prefix: str) -> dict:
    """For one listed object (S3 ``Contents`` shape): its kind, references, and whether it is done.

    An object is done when its record says it was masked from this very version of the
    source (same ETag) and the output is there: a resumed or repeated run skips it.
    """
    key, version = item["Key"], item.get("ETag")
    relative, kind = relative_path(listing, key), kind_of(key)
    output, record = storage.join(destination, relative), record_ref(destination, relative)
    return {
        "object": relative, "kind": kind, "version": version,
        "source": source_ref(listing, key), "destination": output, "record": record,
        "work": storage.join(work_prefix, f"objects/{digest(relative)}"),
        "done": kind in ("text", "image") and _done(record, output, version),
    }


def write_record(plan: dict, status: str, summary: dict | None = None, error: str | None = None) -> None:
    """The object's outcome, where the manifest and later runs find it: counts and names, never content."""
    summary = summary or {}
    storage.write_json(plan["record"], {
        "object": plan["object"], "kind": plan["kind"], "version": plan["version"], "status": status,
        "entities": summary.get("entities", 0), "entityCounts": summary.get("entityCounts", {}),
        "output": summary.get("output"), "error": error})


def in_shard(relative: str, shard: dict) -> bool:
    """Objects are spread over ``shard["count"]`` runs by a stable hash of their path."""
    return int(digest(relative)[:8], 16) % shard["count"] == shard["index"]
