"""What each step's function may touch, keyed by its placeholder in statemachine/functions.json.

A role gets exactly this: object reads and writes on the named buckets, the pseudonym key
for the steps that key replacements with it and, for the steps that call a managed AI service
(directly or through the DICOM verification gate), those actions. Nothing else.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Access:
    reads: tuple[str, ...] = ()  # bucket roles of infra.storage.Storage: "data", "work"
    writes: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()  # s3:ListBucket: listing a folder
    deletes: tuple[str, ...] = ()  # s3:DeleteObject: removing a work area
    # Granted only when the deployment uses the managed engines (settings.engines == "managed").
    managed_actions: tuple[str, ...] = ()
    # Reads the deployment's pseudonym key (steps/pseudonym_key.py): the secret's ARN in its
    # environment and secretsmanager:GetSecretValue on that one secret; and the date-shift range
    # (HDM_DATE_SHIFT_DAYS, a stack setting), since a keyed step may shift dates.
    pseudonym_key: bool = False
    # Needs packages beyond the Lambda Python runtime (numpy, Pillow, pydicom, OCR): container image.
    needs_packages: bool = False
    memory_mb: int = 512
    # /tmp: Lambda's default unless the step spools a file there.
    ephemeral_mb: int = 512


STEP_ACCESS: dict[str, Access] = {
    # Reads the source, parks inline text in the work area. With a keyed mode it reads the pseudonym key
    # (or makes the job's own in the work area) before any other step needs it.
    "FetchFunctionArn": Access(reads=("data", "work"), writes=("work",), pseudonym_key=True),
    "ChunkTextFunctionArn": Access(reads=("data", "work")),
    "DetectPhiFunctionArn": Access(reads=("data", "work"), writes=("work",),
                                   managed_actions=("comprehendmedical:DetectPHI",), memory_mb=1024),
    "FilterPhiFunctionArn": Access(reads=("work",), writes=("work",)),
    # Renders surrogates and hashes keyed by the pseudonym key (a per-job key lives in the work area).
    "RenderTextFunctionArn": Access(reads=("data", "work"), writes=("work",), pseudonym_key=True),
    # Writes a job's result (batches also write theirs from MaskBatch, RecordResult and WriteManifest).
    "StoreFunctionArn": Access(reads=("work",), writes=("data",)),
    # Decodes the source image frame by frame; parks an 8-bit OCR view of every distinct frame and the
    # DICOM header values in the work area. It reads the pseudonym key (a secret that cannot be read
    # fails the job before any OCR). Memory of the image steps: the pixel budget and frame-by-frame
    # decoding keep peak RSS under 1.5 GB for a local file (docs/images.md); an S3 object is also held in
    # memory whole (512 MiB at most, steps/fetch_image.py), so 3008 MB holds both.
    "FetchImageFunctionArn": Access(reads=("data",), writes=("work",), pseudonym_key=True, needs_packages=True,
                                    memory_mb=3008),
    # OCR on every distinct frame's view.
    "DetectTextFunctionArn": Access(reads=("work",), writes=("work",), managed_actions=("rekognition:DetectText",),
                                    needs_packages=True, memory_mb=3008),
    # Reads the source image again to mask its pixels; writes the result to the work area. A DICOM is
    # de-identified with the pseudonym key and passes the verification gate first: every distinct
    # masked frame is read again (DetectText) and the kept descriptors are cleaned by the PHI engine
    # (DetectPHI). The masked file is spooled in /tmp: up to the pixel budget (512 MiB by default).
    "RenderImageFunctionArn": Access(reads=("data", "work"), writes=("work",), pseudonym_key=True,
                                     managed_actions=("rekognition:DetectText", "comprehendmedical:DetectPHI"),
                                     needs_packages=True, memory_mb=3008, ephemeral_mb=1024),
    # Batch: lists the source and the journal of earlier runs (done objects are left out), writes the
    # batches into the work area for the Map's item reader. With a keyed mode it reads the pseudonym key (or
    # makes the batch's own) before the batches and the children run.
    "PlanBatchFunctionArn": Access(reads=("data",), lists=("data",), writes=("work",), pseudonym_key=True,
                                   memory_mb=1024),
    # Masks a batch's short texts: reads them, writes outputs and the batch's journal (S3 has no append:
    # read, then written whole). With the managed engine it calls DetectPHI, like DetectPhi. It renders keyed
    # surrogates, like RenderText.
    "MaskBatchFunctionArn": Access(reads=("data", "work"), writes=("data",), pseudonym_key=True,
                                   managed_actions=("comprehendmedical:DetectPHI",), memory_mb=1024),
    # Names the references of an object that goes through its own workflow; touches no object.
    "PlanObjectFunctionArn": Access(),
    # Adds the object's outcome to its batch's journal; removes the child's work area.
    "RecordResultFunctionArn": Access(reads=("data",), writes=("data",), lists=("work",), deletes=("work",)),
    # Lists the source, reads the journal, writes the manifest, compacts the journal.
    "WriteManifestFunctionArn": Access(reads=("data",), lists=("data",), writes=("data",), deletes=("data",),
                                       memory_mb=1024),
    # Bulk text: reads the JSONL source as a stream and the summaries of batches an earlier run finished;
    # writes the list of batches for the Map's item reader. With a keyed mode it reads the pseudonym key (or
    # makes the job's own) before the batches run in parallel.
    "PlanBulkTextFunctionArn": Access(reads=("data", "work"), lists=("work",), writes=("work",), pseudonym_key=True,
                                      memory_mb=1024),
    # Reads its batch's byte range of the source, writes the batch's result lines and summary to the work area.
    # With the managed engine it calls DetectPHI, like DetectPhi. It renders keyed surrogates (each line's
    # patientId keyed into its token), like RenderText.
    "MaskTextBatchFunctionArn": Access(reads=("data",), writes=("work",), pseudonym_key=True,
                                       managed_actions=("comprehendmedical:DetectPHI",), memory_mb=1024),
    # Joins the batches' results into the destination (a multipart upload; the data bucket's lifecycle
    # rule aborts an interrupted one).
    "AssembleBulkTextFunctionArn": Access(reads=("work",), lists=("work",), writes=("data",), memory_mb=1024),
}


def access_for(placeholder: str) -> Access:
    if placeholder not in STEP_ACCESS:
        raise ValueError(f"infra/grants.py has no access entry for {placeholder} (statemachine/functions.json): "
                         "add one naming the buckets and actions that step uses")
    return STEP_ACCESS[placeholder]
