"""MaskTextBatch: one batch of a bulk text job's lines, each masked (or its PHI listed) right here.

A child execution per document would cost ten state transitions for a millisecond of
detection, so this step runs the text workflow's own functions on each line (chunking
when a text needs more than one DetectPHI call, filtering, masking by offsets) and
writes the batch's result lines, in input order, to the work area, then its summary.
A line's ``patientId`` is read here and turned into the patient's keyed token and date
shift: it never travels in the state.
A line's own fault (not a JSON object, no text, an unexpected error) becomes its
result line ``{"id", "line", "error"}`` and the batch goes on; a fault of the service
(throttling) fails the step for its Retry. The source is read by byte range: the
state carries offsets, never lines.
"""

from collections import Counter

from steps import storage
from steps.bulk import documents, parts
from steps.errors import SERVICE_ERRORS, InternalError, InvalidInput, StepError, phi_safe
from steps.log import get_logger
from steps.operators.anonymizer import anonymize, surrogate_scheme
from steps.operators.operator import OperatorContext
from steps.operators.registry import job_context
from steps.text.detection import detect_entities
from steps.text.document import MAX_DOCUMENT_BYTES
from steps.text.entities import counts_by_type, with_text

logger = get_logger(__name__)
TOO_LARGE = f"the line is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB"


def _result(document: dict, operation: str, options: dict, operators: OperatorContext,
            tally: dict) -> tuple[dict, list[dict]]:
    text = document["text"]
    entities = detect_entities(text, options) if text.strip() else []
    if operation == "detect":
        return documents.result(document, Entities=with_text(entities, text)), entities
    patient_id = document.get("patientId")
    masked = anonymize(text, entities, options["mode"], operators.for_document(patient_id))
    tally["operatorCounts"].update(masked.counts_by_operator())
    fields = {"maskedText": masked.text, **surrogate_scheme(options["mode"])}
    if patient_id and operators.key:
        # A keyed job's result names the patient by the token (what the patient's DICOM PatientID
        # becomes), never by the identity: the masked output carries no original value.
        anonymous = {name: value for name, value in document.items() if name != "patientId"}
        return documents.result(anonymous, patientToken=operators.patient_token(patient_id), **fields), entities
    return documents.result(document, **fields), entities


def _lines(event: dict) -> list[bytes]:
    batch = event["batch"]
    data = storage.read_bytes(event["source"], batch["byteStart"], batch["byteEnd"])
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    if len(lines) != batch["lines"]:
        raise InternalError("the source changed since the job was planned")
    return lines


def _outcome(raw: bytes, number: int, operation: str, options: dict, operators: OperatorContext,
             tally: dict) -> dict:
    """The result line of one input line, its counts added to ``tally``."""
    try:
        line, entities = _result(documents.parse(raw), operation, options, operators, tally)
        tally["entityCounts"].update(counts_by_type(entities))
        return line
    except SERVICE_ERRORS:
        raise
    except StepError as exc:
        name, message = exc.error_name(), str(exc)
    except Exception as exc:  # one odd document must not cost its batch; its message may quote it
        logger.warning("unexpected error on one line", line=number, error=type(exc).__name__)
        name, message = InternalError.error_name(), type(exc).__name__
    tally["errors"][name] += 1
    return documents.error(raw, number, name, message)


@phi_safe
def handler(event: dict, context=None) -> dict:
    batch, operation, options = event["batch"], event["operation"], event["options"]
    first = batch["firstLine"]
    tally = {"errors": Counter(), "entityCounts": Counter(), "operatorCounts": Counter()}
    operators = job_context(options, event["workPrefix"])
    if batch.get("tooLarge"):  # never read: it could not be held
        tally["errors"][InvalidInput.error_name()] += 1
        results = [documents.encode(documents.error(b"", first + 1, InvalidInput.error_name(), TOO_LARGE))]
    else:
        results = [documents.encode(_outcome(raw, number, operation, options, operators, tally))
                   for number, raw in enumerate(_lines(event), first + 1) if raw.strip()]  # a blank line is no document
    work_prefix = event["workPrefix"]
    storage.write_bytes(parts.results_ref(work_prefix, first), b"".join(results), "application/x-ndjson")
    failed = sum(tally["errors"].values())
    summary = {**{key: batch[key] for key in parts.BATCH_KEYS},
               "documents": len(results), "failed": failed, "errors": dict(sorted(tally["errors"].items())),
               "entityCounts": dict(sorted(tally["entityCounts"].items())),
               "operatorCounts": dict(sorted(tally["operatorCounts"].items()))}
    storage.write_json(parts.summary_ref(work_prefix, first), summary)  # the batch's commit: written last
    logger.info("bulk text batch done", firstLine=first, documents=len(results), failed=failed)
    return {"firstLine": first, "documents": len(results), "failed": failed}
