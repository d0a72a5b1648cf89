"""Fewer thread hand-offs in moto's interpreter.

moto starts a thread for every execution, one more for its program (to watch the
execution's TimeoutSeconds), and one for every task state (to watch the state's
TimeoutSeconds), each started, waited for and dropped. Locally:

- a program without TimeoutSeconds runs in the thread that evaluates it: its
  watcher would wait forever anyway (a Map's iterations are programs too);
- the other threads are ``PooledThread``s: threads that finished a job wait a while
  for the next one instead of exiting, so a state's work is handed to a live thread.
"""

import threading

from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent

IDLE_SECONDS = 30.0


class _Worker:
    """A daemon thread that runs the jobs it is given, then waits idle for the next."""

    idle: list["_Worker"] = []
    lock = threading.Lock()

    def __init__(self):
        self._job = None
        self._ready = threading.Event()
        threading.Thread(target=self._loop, name="hdm-moto-worker", daemon=True).start()

    def give(self, job) -> None:
        self._job = job
        self._ready.set()

    def _loop(self) -> None:
        while True:
            if not self._ready.wait(IDLE_SECONDS):
                with _Worker.lock:
                    if self in _Worker.idle:  # nobody took it meanwhile: retire
                        _Worker.idle.remove(self)
                        return
                continue
            job, self._job = self._job, None
            self._ready.clear()
            job()
            with _Worker.lock:
                _Worker.idle.append(self)

    @classmethod
    def take(cls) -> "_Worker":
        with cls.lock:
            if cls.idle:
                return cls.idle.pop()
        return cls()


class PooledThread:
    """What moto uses of threading.Thread (start, join, is_alive, ident), run by a pooled worker."""

    def __init__(self, target=None, args=(), kwargs=None, daemon=None, name=None):
        self._target, self._args, self._kwargs = target, args, kwargs or {}
        self._done = threading.Event()
        self.daemon, self.name = True, name
        self.ident = None

    def start(self) -> None:
        self.ident = id(self)
        _Worker.take().give(self._run)

    def _run(self) -> None:
        try:
            self._target(*self._args, **self._kwargs)
        finally:
            self._done.set()

    def join(self, timeout: float | None = None) -> None:
        self._done.wait(timeout)

    def is_alive(self) -> bool:
        return self.ident is not None and not self._done.is_set()


def inline_without_timeout(original):
    def eval(self, env) -> None:
        if self.timeout_seconds:
            original(self, env)
            return
        env.next_state_name = self.start_at.start_at_name
        EvalComponent.eval(self, env)  # what moto's watcher thread would run

    return eval
