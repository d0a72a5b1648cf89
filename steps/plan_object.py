"""PlanObject: for one listed object, which workflow masks it, where to, and whether it is done.

An object is done when its record says it was masked from this very version of the
source (same ETag) and the output is there: a resumed or repeated run skips it.
"""

from steps import storage
from steps.batch import objects
from steps.errors import SourceUnreadable, phi_safe


def _done(record: str, destination: str, version: str | None) -> bool:
    try:
        previous = storage.read_json(record)
        storage.size(destination)
    except (SourceUnreadable, ValueError):
        return False
    return previous.get("status") == "masked" and previous.get("version") == version


@phi_safe
def handler(event: dict, context=None) -> dict:
    item, listing, destination = event["object"], event["listing"], event["destination"]
    key = item["Key"]
    relative = objects.relative_path(listing, key)
    kind = objects.kind_of(key)
    if kind != "folder" and not objects.in_shard(relative, event["shard"]):
        kind = "elsewhere"
    output = storage.join(destination, relative)
    record = objects.record_ref(destination, relative)
    version = item.get("ETag")
    return {
        "object": relative, "kind": kind, "version": version,
        "source": objects.source_ref(listing, key), "destination": output, "record": record,
        "work": storage.join(event["workPrefix"], f"objects/{objects.digest(relative)}"),
        "done": kind in ("text", "image") and _done(record, output, version),
    }
