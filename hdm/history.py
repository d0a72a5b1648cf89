"""Persisted execution histories: the local counterpart of the Step Functions console.

Each finished execution is written to ``<state dir>/executions/<name>.json`` with its
status, input, output and every history event. States carry references and
metadata only, so nothing written here holds document text or detected values.

Histories expire by age (``HDM_HISTORY_DAYS``, default 30) and by count
(``HDM_HISTORY_MAX``, default 10,000, the newest kept). Expiry runs when a runtime
starts and, while one runs, when it is due: an hour after the last, or after a
tenth of the maximum count of new histories, so that no save pays for a listing.
"""

import contextlib
import datetime
import json
import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from workflow_catalogue import naming

EXECUTION_NAME = re.compile(r"[A-Za-z0-9_-]{1,80}")
HISTORY_DIR = "executions"
EXPIRY_MARKER = ".expired"  # its modification time: when expiry last ran
EXPIRY_INTERVAL_SECONDS = 3600


@dataclass(frozen=True)
class Retention:
    days: float = 30
    max_count: int = 10_000

    @property
    def saves_per_expiry(self) -> int:
        """New histories after which a running process expires again: a tenth of the count."""
        return max(1, self.max_count // 10)

    @classmethod
    def from_environment(cls) -> "Retention":
        return cls(days=_positive("HDM_HISTORY_DAYS", float, cls.days),
                   max_count=_positive("HDM_HISTORY_MAX", int, cls.max_count))


def _positive(variable: str, kind, default):
    raw = os.environ.get(variable)
    if raw is None or not raw.strip():
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"${variable} must be a positive {kind.__name__}, got {raw!r}") from None
    if not value > 0:
        raise ValueError(f"${variable} must be a positive {kind.__name__}, got {raw!r}")
    return value


def _newest_first(directory: Path) -> list[tuple[float, str]]:
    """(modification time, path) of every history file in ``directory``, the newest first."""
    dated = []
    for entry in os.scandir(directory):
        if entry.name.endswith(".json") and not entry.name.startswith("."):
            with contextlib.suppress(FileNotFoundError):  # expired or replaced meanwhile
                dated.append((entry.stat().st_mtime, entry.path))
    dated.sort(reverse=True)
    return dated


def expire(home: Path, retention: Retention, now: float | None = None) -> int:
    """Remove histories older than the retention's days, then the oldest beyond its count; how many went."""
    directory = Path(home) / HISTORY_DIR
    if not directory.is_dir():
        return 0
    now = time.time() if now is None else now
    cutoff = now - retention.days * 86400
    doomed = [path for index, (mtime, path) in enumerate(_newest_first(directory))
              if mtime < cutoff or index >= retention.max_count]
    # Expiry is housekeeping: a read-only or full history directory must not stop a job.
    for path in doomed:
        with contextlib.suppress(OSError):
            os.unlink(path)
    with contextlib.suppress(OSError):
        (directory / EXPIRY_MARKER).touch()
    return len(doomed)


class _Expiry:
    """When the next expiry of each history directory is due (per process)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._saves: dict[Path, int] = {}
        self._checked: dict[Path, float] = {}

    def saved(self, home: Path, retention: Retention) -> None:
        directory = Path(home) / HISTORY_DIR
        with self._lock:
            self._saves[directory] = saves = self._saves.get(directory, 0) + 1
            due = saves >= retention.saves_per_expiry or \
                time.monotonic() - self._checked.get(directory, 0.0) > EXPIRY_INTERVAL_SECONDS
        if due:
            self.check(home, retention)

    def check(self, home: Path, retention: Retention) -> int:
        """Expire if the last expiry (by anyone) is an interval old, or this process saved a tenth of the count."""
        directory = Path(home) / HISTORY_DIR
        with self._lock:
            many = self._saves.get(directory, 0) >= retention.saves_per_expiry
            self._saves[directory] = 0
            self._checked[directory] = time.monotonic()
        try:
            last = (directory / EXPIRY_MARKER).stat().st_mtime
        except FileNotFoundError:
            last = 0.0
        if many or time.time() - last > EXPIRY_INTERVAL_SECONDS:
            return expire(home, retention)
        return 0


expiry = _Expiry()


def _timestamp(value):
    """Event and execution times (moto's datetimes) as ISO 8601 text."""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _parse_json(value):
    try:
        return json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return value


def save(home: Path, described: dict, events: list[dict], retention: Retention | None = None) -> Path:
    directory = Path(home) / HISTORY_DIR
    directory.mkdir(parents=True, exist_ok=True)
    record = {
        "name": described["name"],
        "executionArn": described["executionArn"],
        "stateMachineArn": described["stateMachineArn"],
        "status": described["status"],
        "startDate": described.get("startDate"),
        "stopDate": described.get("stopDate"),
        "input": _parse_json(described.get("input")),
        "output": _parse_json(described.get("output")),
        "error": described.get("error"),
        "cause": described.get("cause"),
        "events": events,
    }
    path = directory / f"{described['name']}.json"
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".", suffix=".partial")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(record, f, separators=(",", ":"), default=_timestamp)
        os.replace(tmp, path)
    except BaseException:  # a full disk, say: no half-written history is left behind
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    expiry.saved(home, retention or Retention())
    return path


ABORTED_CAUSE = "the process running this execution ended before it did; its work area was removed"


def save_aborted(home: Path, marker: dict, retention: Retention | None = None) -> Path | None:
    """Record an execution whose process died (a swept work area's marker: name, machine, start) as
    ABORTED, with no input, output or events; None if it had a history already or the marker is unusable."""
    name, machine = marker.get("name"), marker.get("stateMachineArn")
    if not isinstance(name, str) or not is_execution_name(name) or not isinstance(machine, str) \
            or ":stateMachine:" not in machine or (Path(home) / HISTORY_DIR / f"{name}.json").exists():
        return None
    described = {"name": name, "stateMachineArn": machine, "status": "ABORTED",
                 "executionArn": naming.execution_arn(machine, name),
                 "startDate": marker.get("startDate"),
                 "stopDate": datetime.datetime.now(datetime.UTC).isoformat(),
                 "error": None, "cause": ABORTED_CAUSE}
    return save(home, described, [], retention)


def is_execution_name(name: str) -> bool:
    """What Step Functions allows in a name: up to 80 letters, digits, '-' and '_' (ours are all such)."""
    return EXECUTION_NAME.fullmatch(name) is not None


class UnreadableHistory(ValueError):
    """A history file exists but is not a record (torn, edited, or not ours)."""


SUMMARY_FIELDS = ("name", "stateMachineArn", "status", "startDate", "stopDate", "error", "cause")


def load(home: Path, name: str) -> dict:
    """The record of ``name``; KeyError if there is none, UnreadableHistory if it is corrupt."""
    if not is_execution_name(name):
        raise KeyError(name)
    path = Path(home) / HISTORY_DIR / f"{name}.json"
    if not path.is_file():
        raise KeyError(name)
    try:
        record = json.loads(path.read_bytes())
    except ValueError:
        record = None
    if not isinstance(record, dict) or not all(field in record for field in SUMMARY_FIELDS) \
            or not isinstance(record.get("events", []), list):
        raise UnreadableHistory(f"the history of execution {name} is unreadable (not a complete record)")
    return record


def names(home: Path, limit: int | None = None) -> list[str]:
    """Execution names, newest first."""
    directory = Path(home) / HISTORY_DIR
    if not directory.is_dir():
        return []
    return [Path(path).stem for _, path in _newest_first(directory)[:limit]]


def summaries(home: Path, limit: int | None = None) -> tuple[list[dict], list[str]]:
    """The summaries of the newest ``limit`` executions, and the names of those whose history is
    unreadable (skipped; removed or expired ones are skipped silently)."""
    found, unreadable = [], []
    for name in names(home, limit):
        try:
            found.append(summary(load(home, name)))
        except KeyError:
            continue
        except UnreadableHistory:
            unreadable.append(name)
    return found, unreadable


def _seconds(start: str | None, stop: str | None) -> float | None:
    if not start or not stop:
        return None
    return (datetime.datetime.fromisoformat(stop) - datetime.datetime.fromisoformat(start)).total_seconds()


def summary(record: dict) -> dict:
    """Status and timing of an execution, without its events."""
    return {
        "name": record["name"],
        "workflow": naming.label_of_state_machine(record["stateMachineArn"]),
        "status": record["status"],
        "startDate": record["startDate"],
        "stopDate": record["stopDate"],
        "durationSeconds": _seconds(record["startDate"], record["stopDate"]),
        "error": record["error"],
        "cause": record["cause"],
    }


def _kind(event_type: str, suffix: str) -> str | None:
    return event_type.removesuffix(suffix) if event_type.endswith(suffix) else None


def state_runs(record: dict) -> list[dict]:
    """Each time a state ran: name, type, status, timing, attempts and error names.

    Events are attributed along their previousEventId chain, which stays inside one
    Map iteration, so parallel iterations are told apart.
    """
    events = {e["id"]: e for e in record["events"]}
    runs: dict[int, dict] = {}
    owner: dict[int, int | None] = {}
    for event in record["events"]:
        event_type, previous = event["type"], event.get("previousEventId")
        state_type = _kind(event_type, "StateEntered")
        if state_type is not None:
            details = event.get("stateEnteredEventDetails", {})
            runs[event["id"]] = {"state": details.get("name"), "type": state_type, "status": "running",
                                 "entered": event["timestamp"], "exited": None, "attempts": 0, "errors": []}
            owner[event["id"]] = event["id"]
            continue
        if _kind(event_type, "StateExited") is not None:
            name = event.get("stateExitedEventDetails", {}).get("name")
            cursor = previous
            while cursor in events and not (events[cursor]["type"].endswith("StateEntered")
                                            and runs[cursor]["state"] == name):
                cursor = events[cursor].get("previousEventId")
            if cursor in runs:
                runs[cursor].update(status="succeeded", exited=event["timestamp"])
            owner[event["id"]] = None
            continue
        run_id = owner[event["id"]] = owner.get(previous)
        run = runs.get(run_id)
        if run is None:
            continue
        if event_type.endswith("Scheduled"):
            run["attempts"] += 1
        elif event_type.endswith(("Failed", "TimedOut")):
            details = next((v for k, v in event.items() if k.endswith("EventDetails")), {}) or {}
            if details.get("error"):
                run["errors"].append(details["error"])
    finished = record["status"] != "RUNNING"
    result = []
    for run in runs.values():
        if run["status"] == "running" and finished:
            run["status"] = "failed"
        run["durationSeconds"] = _seconds(run["entered"], run["exited"] or record.get("stopDate"))
        run["retries"] = max(0, run["attempts"] - 1)
        result.append(run)
    return result


def state_table(record: dict) -> list[dict]:
    """State runs grouped by state name, in order of first entry (Map iterations folded)."""
    table: dict[str, dict] = {}
    for run in state_runs(record):
        row = table.setdefault(run["state"], {"state": run["state"], "type": run["type"], "runs": 0,
                                              "succeeded": 0, "failed": 0, "retries": 0,
                                              "maxSeconds": 0.0, "errors": []})
        row["runs"] += 1
        row["succeeded" if run["status"] == "succeeded" else "failed"] += run["status"] != "running"
        row["retries"] += run["retries"]
        row["maxSeconds"] = max(row["maxSeconds"], run["durationSeconds"] or 0.0)
        row["errors"] += [e for e in run["errors"] if e not in row["errors"]]
    return list(table.values())
