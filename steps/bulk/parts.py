"""Where a bulk text job keeps its batches' results, shared by its three states.

A batch is a run of consecutive input lines, named by its first line (zero-padded, so
that names sort in input order). MaskTextBatch writes the batch's result lines to
``<workPrefix>/parts/<first line>.jsonl`` and then, as the batch's commit, its summary
(counts only) to ``<first line>.json``. PlanBulkText leaves out the batches whose
summary is there with the same lines (a resumed job); AssembleBulkText joins the parts
in name order.
"""

from collections import Counter

from steps import storage

PARTS_FOLDER = "parts"
RESULTS_SUFFIX = ".jsonl"
SUMMARY_SUFFIX = ".json"
# What names a batch: its lines and their bytes in the source, kept in its summary.
BATCH_KEYS = ("firstLine", "lines", "byteStart", "byteEnd")


def folder(work_prefix: str) -> str:
    return storage.join(work_prefix, PARTS_FOLDER) + "/"


def _name(first_line: int) -> str:
    return f"{first_line:012d}"


def results_ref(work_prefix: str, first_line: int) -> str:
    return storage.join(work_prefix, f"{PARTS_FOLDER}/{_name(first_line)}{RESULTS_SUFFIX}")


def summary_ref(work_prefix: str, first_line: int) -> str:
    return storage.join(work_prefix, f"{PARTS_FOLDER}/{_name(first_line)}{SUMMARY_SUFFIX}")


def same_batch(summary: dict, batch: dict) -> bool:
    """Whether a summary on file is that of this planned batch (same lines of the same input)."""
    return all(summary.get(key) == batch[key] for key in BATCH_KEYS)


def summaries(work_prefix: str) -> list[str]:
    """The references of the batch summaries on file, in input order."""
    return sorted(ref for ref in storage.list_objects(folder(work_prefix)) if ref.endswith(SUMMARY_SUFFIX))


def delete_batch(work_prefix: str, first_line: int) -> None:
    """Forget a batch: its summary (the commit) first, so that no summary outlives its results."""
    storage.delete(summary_ref(work_prefix, first_line))
    storage.delete(results_ref(work_prefix, first_line))


def add_counts(totals: dict, summary: dict) -> None:
    """Add one batch's counts to running totals (documents, failed, errors, entities and operators by name)."""
    for key in ("lines", "documents", "failed"):
        totals[key] = totals.get(key, 0) + summary[key]
    for key in ("errors", "entityCounts", "operatorCounts"):
        merged = Counter(totals.get(key, {}))
        merged.update(summary.get(key, {}))  # operatorCounts: absent from a batch masked by an older version
        totals[key] = dict(sorted(merged.items()))
