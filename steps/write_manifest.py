"""WriteManifest: one JSON line per object under the source, then the totals.

The source is listed again, so the manifest accounts for every object present,
whether this run, an earlier run or no run processed it (``NotProcessed``).
Written atomically: a reader sees the previous manifest or the new one.
"""

import json
from collections import Counter

from steps import storage
from steps.batch import objects
from steps.errors import SourceUnreadable, phi_safe
from steps.log import get_logger

logger = get_logger(__name__)


def _record(destination: str, relative: str, key: str) -> dict:
    try:
        return storage.read_json(objects.record_ref(destination, relative))
    except (SourceUnreadable, ValueError):
        return {"object": relative, "kind": objects.kind_of(key), "status": "failed", "entities": 0,
                "entityCounts": {}, "output": None, "error": "NotProcessed"}


def manifest_lines(listing: dict, source: str, destination: str) -> tuple[list[str], dict]:
    statuses, entity_counts, errors = Counter(), Counter(), Counter()
    lines = []
    for ref in storage.list_objects(source):
        key = storage.parse(ref)[2]
        if objects.kind_of(key) == "folder":
            continue
        record = _record(destination, objects.relative_path(listing, key), key)
        record.pop("version", None)
        statuses[record["status"]] += 1
        entity_counts.update(record["entityCounts"])
        if record["error"]:
            errors[record["error"]] += 1
        lines.append(json.dumps(record, ensure_ascii=False, sort_keys=True))
    totals = {"objects": len(lines), **{s: statuses[s] for s in objects.STATUSES},
              "entityCounts": dict(sorted(entity_counts.items())), "errors": dict(sorted(errors.items()))}
    return lines, totals


@phi_safe
def handler(event: dict, context=None) -> dict:
    lines, totals = manifest_lines(event["listing"], event["source"], event["destination"])
    manifest = objects.manifest_ref(event["destination"])
    body = "".join(line + "\n" for line in lines) + json.dumps({"totals": totals}, sort_keys=True) + "\n"
    storage.write_bytes(manifest, body.encode("utf-8"), "application/x-ndjson")
    logger.info("manifest written", **{k: v for k, v in totals.items() if isinstance(v, int)})
    return {"manifest": manifest, "totals": totals}
