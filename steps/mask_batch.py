"""MaskBatch: one batch of listed objects; short texts are masked right here.

A text that fits one DetectPHI call (at most ``maxChunkBytes``) gains nothing from the
text workflow's chunk fan-out, and a child execution per one-page note would cost ten
state transitions, in money on AWS and in CPU locally, for milliseconds of detection.
So this step runs the text workflow's own functions on each short text (read checks,
detection, filtering, masking, one atomic write) and journals its outcome.
Unsupported objects are journaled too; images and long texts are handed back, and
each goes through its own workflow (RecordResult adds them to this batch's journal).
The batch's listing is read from the work area, and PlanBatch left out what is done.
"""

from collections import Counter

from steps import storage
from steps.batch import journal, objects
from steps.errors import SERVICE_ERRORS, InternalError, StepError, phi_safe
from steps.log import get_logger
from steps.operators.anonymizer import anonymize
from steps.operators.operator import OperatorContext
from steps.operators.registry import job_context
from steps.text.detection import detect_entities
from steps.text.document import read_document
from steps.text.entities import counts_by_type

logger = get_logger(__name__)


def _mask_short_text(plan: dict, options: dict, operators: OperatorContext) -> dict:
    text = read_document(plan["source"])
    entities = detect_entities(text, options)
    storage.write_text(plan["destination"], anonymize(text, entities, options["mode"], operators.for_document()).text)
    return {"entities": len(entities), "entityCounts": counts_by_type(entities), "output": plan["destination"]}


def _outcome(plan: dict, options: dict, operators: OperatorContext) -> dict:
    """The journal record of masking one short text, failed or not."""
    try:
        return journal.record(plan, "masked", _mask_short_text(plan, options, operators))
    except SERVICE_ERRORS:
        # The step fails: its Retry runs it again, or the batch's objects are reported as not
        # processed. What was done stays journaled.
        raise
    except StepError as exc:
        error = exc.error_name()
    except Exception as exc:  # one odd document must not cost its batch; its message may quote it
        logger.warning("unexpected error on one object", error=type(exc).__name__)
        error = InternalError.error_name()
    return journal.record(plan, "failed", error=error)


@phi_safe
def handler(event: dict, context=None) -> dict:
    listing, destination, options = event["listing"], event["destination"], event["options"]
    journal_ref = storage.join(journal.folder(destination), f"{objects.digest(event['objects'])}.jsonl")
    # A retried step (after throttling) finds what its first attempt journaled.
    journaled = journal.read_latest([journal_ref])
    workflows, statuses = [], Counter()
    operators = job_context(options, event["workPrefix"])
    with journal.Journal(journal_ref) as batch_journal:
        for item in storage.read_json(event["objects"]):
            plan = objects.plan(item, listing, destination)
            earlier = journaled.get(plan["object"])
            if earlier is not None and earlier["version"] == plan["version"] and earlier["status"] != "failed":
                statuses[earlier["status"]] += 1
                continue
            if plan["kind"] == "unsupported":
                outcome = journal.record(plan, "unsupported", error="UnsupportedType")
            elif objects.needs_workflow(item, options):
                workflows.append(item)
                continue
            else:
                outcome = _outcome(plan, options, operators)
            batch_journal.add(outcome)
            statuses[outcome["status"]] += 1
    logger.info("batch masked", workflows=len(workflows), **statuses)
    return {"workflows": workflows, "journal": journal_ref, **{s: statuses[s] for s in objects.STATUSES}}
