"""MaskBatch: one batch of listed objects; short texts are masked right here.

A text that fits one DetectPHI call (at most ``maxChunkBytes``) gains nothing from the
text workflow's chunk fan-out, and a child execution per one-page note would cost ten
state transitions, in money on AWS and in CPU locally, for milliseconds of detection.
So this step runs the text workflow's own functions on each short text (read checks,
detection, filtering, masking, one atomic write) and records its outcome. Done objects
are skipped, unsupported ones recorded; images and long texts are handed back, and
each goes through its own workflow.
"""

from collections import Counter

from steps import storage
from steps.batch import objects
from steps.errors import EngineUnavailable, InternalError, PhiServiceThrottled, StepError, TransientError, phi_safe
from steps.log import get_logger
from steps.phi import get_engine
from steps.text.document import read_document
from steps.text.entities import counts_by_type, mask, select

logger = get_logger(__name__)
# Faults of the service, not of one document, fail the step: its Retry runs it again
# (skipping what is done by then), or the batch records every object as not processed.
SERVICE_ERRORS = (PhiServiceThrottled, TransientError, EngineUnavailable)


def _mask_short_text(plan: dict, options: dict) -> dict:
    text = read_document(plan["source"])
    entities = select(get_engine(options["engine"]).detect(text), options)
    storage.write_text(plan["destination"], mask(text, entities, options["mode"]))
    return {"entities": len(entities), "entityCounts": counts_by_type(entities), "output": plan["destination"]}


def _mask_and_record(plan: dict, options: dict) -> str | None:
    """Mask one short text and record the outcome; the error name if it failed."""
    try:
        objects.write_record(plan, "masked", _mask_short_text(plan, options))
        return None
    except SERVICE_ERRORS:
        raise
    except StepError as exc:
        error = exc.error_name()
    except Exception as exc:  # one odd document must not cost its batch; its message may quote it
        logger.warning("unexpected error on one object", error=type(exc).__name__)
        error = InternalError.error_name()
    objects.write_record(plan, "failed", error=error)
    return error


@phi_safe
def handler(event: dict, context=None) -> dict:
    listing, destination, options = event["listing"], event["destination"], event["options"]
    workflows, statuses = [], Counter()
    for item in event["objects"]:
        plan = objects.plan(item, listing, destination, event["workPrefix"])
        if plan["done"]:
            statuses["done"] += 1
        elif plan["kind"] == "unsupported":
            objects.write_record(plan, "unsupported", error="UnsupportedType")
            statuses["unsupported"] += 1
        elif not objects.needs_workflow(item, options):
            error = _mask_and_record(plan, options)
            statuses["failed" if error else "masked"] += 1
        else:
            workflows.append(item)
    logger.info("batch masked", workflows=len(workflows), **statuses)
    return {"workflows": workflows, **{s: statuses[s] for s in ("masked", "failed", "unsupported", "done")}}
