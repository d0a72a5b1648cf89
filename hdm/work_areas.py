"""Work areas that a crash cannot leave behind: ``<state dir>/work/<execution>/``.

A work area holds an execution's staged input and intermediate objects (document text,
DICOM headers, OCR words). Its owner holds an exclusive lock on the area's marker file
for as long as the area is in use; the kernel drops the lock when the owning process
ends, however it ends (even SIGKILL). Every runtime start sweeps the areas whose lock
is free: their owner is gone, so the area is removed and its execution, if it left no
history, is recorded as ABORTED (names and dates only, no content).

An area is built under a hidden name with its marker locked, then renamed into place,
so a sweep never sees an area that exists but is not yet owned. The directory is
0700 and the objects written into it 0600 (storage writes through mkstemp).
"""

import contextlib
import datetime
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from steps.log import get_logger

logger = get_logger(__name__)

WORK_DIR = "work"
MARKER = ".owner"
CLAIM_PREFIX = ".claim-"
# A claim is renamed into place at once; one this old was left by a process killed mid-claim.
STALE_CLAIM_SECONDS = 3600


def _root(home: Path) -> Path:
    root = Path(home) / WORK_DIR
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


@contextlib.contextmanager
def claimed(home: Path, execution_name: str, state_machine_arn: str) -> Iterator[Path]:
    """A new, locked work area for ``execution_name``, removed when the block ends."""
    root = _root(home)
    claim = root / f"{CLAIM_PREFIX}{execution_name}-{uuid.uuid4().hex[:8]}"
    claim.mkdir(mode=0o700)
    fd = os.open(claim / MARKER, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(fd, json.dumps({"name": execution_name, "stateMachineArn": state_machine_arn,
                                 "startDate": datetime.datetime.now(datetime.UTC).isoformat(),
                                 "pid": os.getpid()}).encode())
        path = root / execution_name
        os.rename(claim, path)  # fails if the name is taken: execution names are unique
        claim = path
        yield path
    finally:
        shutil.rmtree(claim, ignore_errors=True)
        os.close(fd)  # the lock goes last, once nothing is left to sweep


def _owner_gone(area: Path) -> tuple[bool, dict | None]:
    """Whether no live process holds the area's lock, and its marker's record (None if unreadable)."""
    try:
        fd = os.open(area / MARKER, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return True, None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False, None
        try:
            return True, json.loads(os.read(fd, 65536))
        except ValueError:
            return True, None
    finally:
        os.close(fd)


def sweep(home: Path, record_aborted) -> list[str]:
    """Remove the work areas whose owner is gone; ``record_aborted(marker)`` for each one's execution.
    Returns the names of the areas removed."""
    root = Path(home) / WORK_DIR
    if not root.is_dir():
        return []
    removed = []
    for area in root.iterdir():
        if area.name.startswith(CLAIM_PREFIX):
            with contextlib.suppress(FileNotFoundError):
                if time.time() - area.stat().st_mtime > STALE_CLAIM_SECONDS:
                    shutil.rmtree(area, ignore_errors=True)
            continue
        if not area.is_dir():
            continue
        gone, marker = _owner_gone(area)
        if not gone:
            continue
        shutil.rmtree(area, ignore_errors=True)
        removed.append(area.name)
        if marker is not None:
            record_aborted(marker)
        logger.warning("work_area_swept", execution=area.name)
    return removed
