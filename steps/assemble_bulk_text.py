"""AssembleBulkText: join the batches' result lines, in input order, into the job's destination.

The destination appears whole or not at all (steps.storage.writer: a renamed temporary
file, or a completed S3 multipart upload), and holds one result line per document of
the source. Every batch must be there, from the first line to the last: a gap fails
the step rather than publish a partial result. The output counts lines, documents,
failures, entities by type and replacements by operator; it never holds a result.
"""

from steps import storage
from steps.bulk import parts
from steps.errors import InternalError, phi_safe
from steps.log import get_logger

logger = get_logger(__name__)


@phi_safe
def handler(event: dict, context=None) -> dict:
    work_prefix, destination, plan = event["workPrefix"], event["destination"], event["plan"]
    totals = {"lines": 0, "documents": 0, "failed": 0, "errors": {}, "entityCounts": {}, "operatorCounts": {}}
    with storage.writer(destination, "application/x-ndjson") as output:
        for ref in parts.summaries(work_prefix):
            summary = storage.read_json(ref)
            if summary["firstLine"] != totals["lines"]:
                raise InternalError(f"the results of lines {totals['lines'] + 1} to {summary['firstLine']} are missing")
            output.write(storage.read_bytes(parts.results_ref(work_prefix, summary["firstLine"])))
            parts.add_counts(totals, summary)
        if totals["lines"] != plan["lines"]:
            raise InternalError(f"the results of lines {totals['lines'] + 1} to {plan['lines']} are missing")
    logger.info("bulk text assembled", lines=totals["lines"], documents=totals["documents"], failed=totals["failed"])
    return {"output": destination, **totals, "resumedLines": plan["resumedLines"]}
