"""Structured, PHI-free logging for steps and the local runtime.

Log records carry an event name and non-sensitive metadata passed as keyword
fields (counts, types, timings, chunk indexes). Never pass text or detected values.
"""

import json
import logging
import sys
import time


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        return json.dumps(entry, default=str)


class StepLogger:
    """A thin wrapper so call sites read ``logger.info("chunked", chunks=3)``."""

    def __init__(self, name: str):
        self._logger = logging.getLogger(name)

    def _log(self, level: int, event: str, fields: dict) -> None:
        if self._logger.isEnabledFor(level):
            self._logger.log(level, event, extra={"fields": fields})

    def debug(self, event: str, **fields) -> None:
        self._log(logging.DEBUG, event, fields)

    def info(self, event: str, **fields) -> None:
        self._log(logging.INFO, event, fields)

    def warning(self, event: str, **fields) -> None:
        self._log(logging.WARNING, event, fields)


def get_logger(name: str) -> StepLogger:
    return StepLogger(name)


def configure(level: int = logging.WARNING, stream=sys.stderr) -> None:
    """Send this project's records to ``stream`` as JSON lines (Lambda and CLI)."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    for name in ("steps", "hdm"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
