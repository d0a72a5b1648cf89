"""moto's interpreter, made cheap enough to run every job through it.

Per execution moto would parse the definition with its pure-Python ANTLR parser
(about 0.2 s for each of ours), build a boto3 client for every task, parse every
JSONPath anew, and send each Lambda task through boto3, moto's serializer and its
Lambda backend. While the hooks are installed:

- parse trees are cached by definition text, in memory and on disk (trees.py), and so
  is the program the preprocessor builds from a tree: its evaluation components keep
  an execution's state in the execution's Environment, never in themselves (a Map's
  iterations already evaluate one component side by side), so executions share it;
- boto3 clients are cached per service (moto's ignore the credentials: one local
  account; they are bound to the mock, so the cache is emptied on removal);
- parsed JSONPath expressions are cached (moto's helper and ResultPath's own parser);
- Lambda tasks call their handler in-process (hdm.moto_hooks.lambdas);
- an execution that ends tells its waiter at once (no polling), and one started with
  ``inline`` runs in the caller's thread (no hand-off to a worker thread); programs
  run in their caller's thread, states on pooled threads (threads.py).
"""

import functools
import logging
import sys
import threading

from moto.stepfunctions.parser.asl.component.common.path import result_path
from moto.stepfunctions.parser.asl.component.program.program import Program
from moto.stepfunctions.parser.asl.component.state.exec import execute_state
from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor
from moto.stepfunctions.parser.asl.utils import boto_client as moto_clients
from moto.stepfunctions.parser.asl.utils import json_path as moto_json_path
from moto.stepfunctions.parser.backend import execution_worker
from moto.stepfunctions.parser.backend.execution import BaseExecutionWorkerCommunication
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

from hdm.moto_hooks.lambdas import LambdaRouter
from hdm.moto_hooks.patching import Patch
from hdm.moto_hooks.threads import PooledThread, inline_without_timeout
from hdm.moto_hooks.trees import TreeCache

# moto's parser warns about declarations it does not evaluate (ToleratedFailurePercentagePath).
logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)


# The ANTLR trees of the definitions (read-only: shared by every execution of one).
trees = TreeCache()
_programs: dict[str, tuple] = {}


def _parse_with_cached_tree(original):
    def parse(definition: str):
        parsed = _programs.get(definition)
        if parsed is None:
            tree = trees.tree(definition)
            parsed = _programs[definition] = (Preprocessor().visit(tree), tree)
        return parsed

    return staticmethod(parse)


_boto_client_for = moto_clients.boto_client_for  # moto's own, taken before any patch


def client_users() -> list:
    """The interpreter modules that imported ``boto_client_for`` by name."""
    return [module for name, module in list(sys.modules.items())
            if name.startswith("moto.stepfunctions.parser.") and getattr(module, "boto_client_for", None)
            is _boto_client_for]


@functools.lru_cache(maxsize=32)
def _client(region: str, service: str):
    return _boto_client_for(region, service)


def _cached_client(original):
    def client_for(region: str, service: str, state_credentials=None):
        return _client(region, service)

    return client_for


class Completion:
    """Executions being waited for, by ARN; the worker's end sets their event."""

    def __init__(self):
        self._events: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self.listeners: list = []  # called with each moto Execution that ends

    def expect(self, arn: str) -> threading.Event:
        with self._lock:
            return self._events.setdefault(arn, threading.Event())

    def discard(self, arn: str) -> None:
        with self._lock:
            self._events.pop(arn, None)

    def ended(self, execution) -> None:
        with self._lock:
            event = self._events.get(execution.exec_arn)
        if event is not None:
            event.set()
        for listener in self.listeners:
            listener(execution)


completion = Completion()
_inline = threading.local()


def _notifying_terminated(original):
    def terminated(self) -> None:
        original(self)
        completion.ended(self.execution)

    return terminated


def _inline_start(original):
    def start(self) -> None:
        if getattr(_inline, "next_start", False):
            _inline.next_start = False  # only the execution asked for: its children start as usual
            self._execution_logic()
        else:
            original(self)

    return start


class inline_start:  # noqa: N801 - used as a context manager around one start
    """The execution started inside this block runs to its end in the calling thread."""

    def __enter__(self):
        _inline.next_start = True

    def __exit__(self, *exc):
        _inline.next_start = False


def _cached_json_path(original):
    return functools.lru_cache(maxsize=1024)(original)


def _routed_lambda(router: LambdaRouter):
    def make(original):
        def invoke(parameters: dict, region: str, state_credentials=None) -> dict:
            return router.invoke(parameters["FunctionName"], parameters.get("Payload"))

        return invoke

    return make


def patches(router: LambdaRouter) -> list[Patch]:
    return [
        Patch(AmazonStateLanguageParser, "parse", _parse_with_cached_tree),
        Patch(moto_json_path, "parse", _cached_json_path),
        Patch(result_path, "parse", _cached_json_path),
        *[Patch(module, "boto_client_for", _cached_client) for module in client_users()],
        Patch(lambda_eval_utils, "_invoke_lambda_function", _routed_lambda(router)),
        Patch(BaseExecutionWorkerCommunication, "terminated", _notifying_terminated),
        Patch(ExecutionWorker, "start", _inline_start),
        Patch(Program, "eval", inline_without_timeout),
        Patch(execute_state, "Thread", lambda original: PooledThread),
        Patch(execution_worker, "Thread", lambda original: PooledThread),
    ]


def clear_caches() -> None:
    _client.cache_clear()
    _programs.clear()
