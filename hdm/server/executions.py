"""Executions started by ``POST /executions``: return at once, clean up when they finish.

Each execution gets a work area (runtime.work_area) for staged input and
intermediate objects. It must outlive the request that started the execution and
be removed once the execution ends, whatever the outcome: one watcher thread
polls the running executions, persists each finished one's history
(runtime.wait) and closes its work area.
"""

import contextlib
import datetime
import threading
import time
from dataclasses import dataclass, field

from hdm.runtime import LocalRuntime
from steps.log import get_logger

logger = get_logger(__name__)


@dataclass
class Running:
    name: str
    arn: str
    workflow: str
    started: str
    cleanup: contextlib.ExitStack = field(repr=False)


class ExecutionTracker:
    def __init__(self, runtime: LocalRuntime, poll_seconds: float = 0.05):
        self.runtime = runtime
        self.poll_seconds = poll_seconds
        self._running: dict[str, Running] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="hdm-execution-watcher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def launch(self, workflow: str, build_input) -> Running:
        """Start ``workflow`` with ``build_input(work_dir)``; its work area lives until it ends."""
        name = self.runtime.new_execution_name(workflow)
        with contextlib.ExitStack() as stack:
            work = stack.enter_context(self.runtime.work_area(workflow, name))
            arn = self.runtime.start_execution(workflow, build_input(work), name=name)
            started = datetime.datetime.now(datetime.UTC).isoformat()
            running = Running(name, arn, workflow, started, stack.pop_all())
        with self._lock:
            self._running[name] = running
        logger.info("execution_started", workflow=workflow, execution=name)
        return running

    def running(self) -> list[Running]:
        with self._lock:
            return list(self._running.values())

    def get(self, name: str) -> Running | None:
        with self._lock:
            return self._running.get(name)

    def _finish_ready(self) -> None:
        for running in self.running():
            try:
                execution = self.runtime.wait(running.arn, timeout=0)
            except TimeoutError:
                continue
            except Exception as exc:  # keep watching the others; the class name carries no PHI
                logger.warning("execution_poll_failed", execution=running.name, error=type(exc).__name__)
                continue
            with self._lock:
                del self._running[running.name]
            running.cleanup.close()
            logger.info("execution_finished", execution=running.name, status=execution.status)

    def _watch(self) -> None:
        while not self._stop.is_set():
            self._finish_ready()
            self._stop.wait(self.poll_seconds)

    def close(self, drain_seconds: float = 30.0) -> None:
        """Let running executions finish (bounded), then remove every remaining work area."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        deadline = time.monotonic() + drain_seconds
        while self.running() and time.monotonic() < deadline:
            self._finish_ready()
            time.sleep(self.poll_seconds)
        for running in self.running():
            running.cleanup.close()
            logger.warning("execution_abandoned", execution=running.name)
        with self._lock:
            self._running.clear()
