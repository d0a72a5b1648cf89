"""The objects of a batch: which workflow masks each, and where its output and its state go.

Shared by the batch states (PlanBatch, MaskBatch, PlanObject, RecordResult,
WriteManifest) so that every one of them derives paths the same way.
"""

import hashlib

from steps import storage

TEXT_SUFFIXES = (".txt",)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".dcm")
# The batch journal lives next to the outputs, so a later run (resumed or scheduled) skips done objects.
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


def manifest_ref(destination: str) -> str:
    return storage.join(destination, MANIFEST_NAME)


def plan(item: dict, listing: dict, destination: str) -> dict:
    """For one listed object (S3 ``Contents`` shape): its kind and references."""
    key = item["Key"]
    relative = relative_path(listing, key)
    return {"object": relative, "kind": kind_of(key), "version": item.get("ETag"),
            "source": source_ref(listing, key), "destination": storage.join(destination, relative)}


def work_ref(work_prefix: str, relative: str) -> str:
    """The work area of an object's own workflow."""
    return storage.join(work_prefix, f"objects/{digest(relative)}")
