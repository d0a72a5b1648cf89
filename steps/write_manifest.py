"""WriteManifest: one JSON line per object under the source, then the totals.

The source is listed again, so the manifest accounts for every object present,
whether this run, an earlier run or no run processed it (``NotProcessed``). Written
atomically: a reader sees the previous manifest or the new one. The journal it read
is then compacted into one file.
"""

import json
from collections import Counter

from steps import storage
from steps.batch import journal, objects
from steps.errors import phi_safe
from steps.log import get_logger

logger = get_logger(__name__)
MANIFEST_FIELDS = ("object", "kind", "status", "entities", "entityCounts", "output", "error")


def _line(record: dict | None, relative: str, key: str) -> dict:
    """An object's outcome; ``actions`` counts the DICOM de-identification actions taken, in the
    MIDI-B benchmark's vocabulary (docs/images.md), empty for other objects."""
    if record is None:
        return {"object": relative, "kind": objects.kind_of(key), "status": "failed", "entities": 0,
                "entityCounts": {}, "output": None, "error": "NotProcessed", "actions": {}}
    # Journal lines written before actions were recorded have none.
    return {**{field: record[field] for field in MANIFEST_FIELDS}, "actions": record.get("actions", {})}


def manifest_lines(listing: dict, source: str, records: dict[str, dict]) -> tuple[list[str], dict]:
    statuses, entity_counts, errors, actions = Counter(), Counter(), Counter(), Counter()
    lines = []
    for entry in storage.list_entries(source):
        key = entry["Key"]
        if objects.kind_of(key) == "folder":
            continue
        relative = objects.relative_path(listing, key)
        line = _line(records.get(relative), relative, key)
        statuses[line["status"]] += 1
        entity_counts.update(line["entityCounts"])
        actions.update(line["actions"])
        if line["error"]:
            errors[line["error"]] += 1
        lines.append(json.dumps(line, ensure_ascii=False, sort_keys=True))
    totals = {"objects": len(lines), **{s: statuses[s] for s in objects.STATUSES},
              "entityCounts": dict(sorted(entity_counts.items())), "errors": dict(sorted(errors.items())),
              "actions": dict(sorted(actions.items()))}
    return lines, totals


@phi_safe
def handler(event: dict, context=None) -> dict:
    destination = event["destination"]
    journal_files = journal.journal_files(destination)
    records = journal.read_latest(journal_files)
    lines, totals = manifest_lines(event["listing"], event["source"], records)
    manifest = objects.manifest_ref(destination)
    body = "".join(line + "\n" for line in lines) + json.dumps({"totals": totals}, sort_keys=True) + "\n"
    storage.write_bytes(manifest, body.encode("utf-8"), "application/x-ndjson")
    journal.compact(destination, journal_files, records)
    logger.info("manifest written", **{k: v for k, v in totals.items() if isinstance(v, int)})
    return {"manifest": manifest, "totals": totals}
