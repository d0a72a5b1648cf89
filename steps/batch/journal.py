"""The batch journal: one line per processed object, where later runs and the manifest find it.

A line records an object's outcome (status, entity counts, output, error name, the
source version it was masked from) and never its content. Each MaskBatch run keeps one
journal file in ``<destination>/.hdm-batch/journal/``, and RecordResult adds the
outcomes of the objects that went through their own workflow to it. Locally each
line is appended and flushed as soon as the object is done, so an interrupted run
loses nothing it finished; S3 has no append, so a journal object is written once its
batch is done (an interrupted batch is redone). Creating one small record file per
object would cost more than masking a one-page note.

Readers take, per object, the line recorded last. A torn last line (a run killed
mid-write) is skipped: its object is simply done again. WriteManifest compacts the
journal into one file per run, so it grows with new work, not with runs.
"""

import json
import os
import time
from collections.abc import Iterable

from steps import storage
from steps.batch.objects import state_prefix
from steps.errors import SourceUnreadable


def folder(destination: str) -> str:
    return storage.join(state_prefix(destination), "journal")


def record(plan: dict, status: str, summary: dict | None = None, error: str | None = None) -> dict:
    summary = summary or {}
    return {"object": plan["object"], "kind": plan["kind"], "version": plan["version"], "status": status,
            "entities": summary.get("entities", 0), "entityCounts": summary.get("entityCounts", {}),
            "actions": summary.get("actions", {}),
            "output": summary.get("output"), "error": error, "at": time.time_ns()}


def _line(entry: dict) -> bytes:
    return (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


class Journal:
    """Appends records to one journal file; use as a context manager."""

    def __init__(self, ref: str):
        self.ref = ref
        scheme, _, key = storage.parse(ref)
        self._path = key if scheme == "file" else None  # S3 has no append: lines wait for close()
        self._file = None
        self._pending: list[bytes] = []

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def add(self, entry: dict) -> None:
        if self._path is None:
            self._pending.append(_line(entry))
            return
        if self._file is None:
            os.makedirs(os.path.dirname(self._path), exist_ok=True)
            self._file = open(self._path, "ab")  # noqa: SIM115 - held open across adds, closed by close()
        self._file.write(_line(entry))
        self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._pending:
            try:
                earlier = storage.read_bytes(self.ref)
            except SourceUnreadable:
                earlier = b""
            storage.write_bytes(self.ref, earlier + b"".join(self._pending), "application/x-ndjson")
            self._pending = []


def journal_files(destination: str) -> list[str]:
    return [ref for ref in storage.list_objects(folder(destination)) if ref.endswith(".jsonl")]


def read_latest(refs: Iterable[str]) -> dict[str, dict]:
    """Object -> its last recorded line, over the given journal files."""
    latest: dict[str, dict] = {}
    for ref in refs:
        try:
            data = storage.read_bytes(ref)
        except SourceUnreadable:  # compacted away by another run since it was listed
            continue
        for line in data.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:  # a torn last line
                continue
            previous = latest.get(entry["object"])
            if previous is None or entry["at"] >= previous["at"]:
                latest[entry["object"]] = entry
    return latest


def latest(destination: str) -> dict[str, dict]:
    return read_latest(journal_files(destination))


def compact(destination: str, refs: list[str], entries: dict[str, dict]) -> None:
    """Replace the journal files ``refs`` (as read into ``entries``) by one file of their last lines."""
    if len(refs) <= 1:
        return
    merged = storage.join(folder(destination), f"compacted-{time.time_ns()}.jsonl")
    storage.write_bytes(merged, b"".join(_line(e) for e in entries.values()), "application/x-ndjson")
    for ref in refs:
        storage.delete(ref)


def count_lines(destination: str) -> int:
    """Lines in the local journal: about how many objects have an outcome (for a progress bar)."""
    path = storage.parse(folder(destination))[2]
    total = 0
    try:
        for entry in os.scandir(path):
            if entry.name.endswith(".jsonl"):
                with open(entry.path, "rb") as journal:
                    total += journal.read().count(b"\n")
    except FileNotFoundError:
        return 0
    return total
