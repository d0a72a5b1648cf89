"""A server killed with SIGKILL mid-job leaves no document content on disk once it restarts,
and the history says the execution was ABORTED."""

import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.server.http_server import Server

# A name no engine output or history could contain unless the note itself was written there.
MARKER = "Quillonberg"


def _files_holding(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def _wait_for(condition, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the condition never held")
        time.sleep(0.02)


def _post_in_background(server: Server, path: str, body: dict) -> threading.Thread:
    def post():
        try:
            server.client.post(path, json=body)
        except httpx.TransportError:  # the server is killed under it
            pass

    thread = threading.Thread(target=post, daemon=True)
    thread.start()
    return thread


def _kill(server: Server) -> None:
    server.client.close()
    server.process.kill()
    server.process.wait(timeout=60)


def _work_areas(state: Path) -> list[Path]:
    work = state / "work"
    return [p for p in work.iterdir() if not p.name.startswith(".")] if work.is_dir() else []


@pytest.mark.slow
def test_a_killed_text_job_leaves_no_text_and_is_recorded_as_aborted(tmp_path):
    state = tmp_path / "state"
    note = f"Patient {MARKER} Smith, MRN 4417302, seen on 03/04/2021 at 12 Elm Street.\n" * 40_000  # ~3 MB
    server = Server(tmp_path)
    try:
        posting = _post_in_background(server, "/text/mask", {"text": note})
        _wait_for(lambda: any((area / "input.txt").is_file() for area in _work_areas(state)))
        [area] = _work_areas(state)
        assert (area / "input.txt").stat().st_mode & 0o777 == 0o600
        assert area.stat().st_mode & 0o777 == 0o700
        assert _files_holding(state, MARKER.encode())  # the test kills while the note is on disk
    finally:
        _kill(server)
    posting.join(timeout=60)

    restarted = Server(tmp_path)
    try:
        assert _files_holding(state, MARKER.encode()) == []
        assert _work_areas(state) == []
        listed = restarted.client.get("/executions").json()["executions"]
        aborted = [e for e in listed if e["name"] == area.name]
        assert [(e["status"], e["workflow"]) for e in aborted] == [("ABORTED", "mask-text")]
        described = restarted.client.get(f"/executions/{area.name}").json()
        assert described["input"] is None and described["output"] is None
    finally:
        restarted.stop()


@pytest.mark.slow
def test_a_killed_image_job_leaves_no_work_area_and_is_recorded_as_aborted(tmp_path):
    from PIL import Image, ImageDraw, ImageFont

    state = tmp_path / "state"
    image = Image.new("L", (2400, 1600), 0)
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=40)
    for row in range(18):
        draw.text((30, 30 + 85 * row), f"Name: {MARKER.upper()}, CARLOS  MRN: RQ3611{row:04d}", fill=255, font=font)
    scan = state / "buckets" / "scans" / "xray.png"
    scan.parent.mkdir(parents=True)
    image.save(scan)
    server = Server(tmp_path)
    try:
        _post_in_background(server, "/image/mask", {"s3Bucket": "scans", "s3Key": "xray.png",
                                                    "destinationBucket": "scans", "destinationKey": "masked.png"})
        _wait_for(lambda: any(p.is_file() for area in _work_areas(state) for p in (area / "steps").rglob("*")))
        [area] = _work_areas(state)
    finally:
        _kill(server)

    restarted = Server(tmp_path)
    try:
        assert _work_areas(state) == []
        assert not (state / "buckets" / "scans" / "masked.png").exists()
        described = restarted.client.get(f"/executions/{area.name}").json()
        assert (described["status"], described["workflow"], described["input"]) == ("ABORTED", "mask-image", None)
    finally:
        restarted.stop()
