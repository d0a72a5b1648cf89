"""Route Lambda task invocations of moto's Step Functions interpreter to steps/ handlers.

moto's interpreter invokes Lambda through its own Lambda backend; with
``{"lambda": {"use_docker": False}}`` that is ``LambdaSimpleBackend.invoke``, which
we replace for the runtime's lifetime. This is a moto internal: moto is pinned and
tests/test_moto_internals.py fails loudly if the hook point moves.
"""

import importlib
import json
import threading

from moto.awslambda_simple.models import LambdaSimpleBackend

from hdm.paths import STATEMACHINE_DIR
from steps.errors import StepError

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
FUNCTION_PREFIX = "hdm-"


def function_table() -> dict[str, str]:
    """Placeholder name -> dotted handler path, from statemachine/functions.json."""
    return json.loads((STATEMACHINE_DIR / "functions.json").read_text())["functions"]


def function_arn(placeholder: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{FUNCTION_PREFIX}{placeholder.removesuffix('Arn')}"


def _load(dotted: str):
    module, _, attribute = dotted.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


class LambdaRouter:
    """Installs itself over LambdaSimpleBackend.invoke while active."""

    _lock = threading.Lock()
    _active: "LambdaRouter | None" = None

    def __init__(self):
        self.handlers = {
            function_arn(placeholder).rpartition(":")[2]: _load(dotted)
            for placeholder, dotted in function_table().items()
        }
        self._original = None

    def install(self) -> None:
        with LambdaRouter._lock:
            if LambdaRouter._active is not None:
                raise RuntimeError("another local runtime is already active in this process")
            LambdaRouter._active = self
            self._original = LambdaSimpleBackend.invoke
            LambdaSimpleBackend.invoke = _routed_invoke

    def uninstall(self) -> None:
        with LambdaRouter._lock:
            if LambdaRouter._active is self:
                LambdaSimpleBackend.invoke = self._original
                LambdaRouter._active = None

    def invoke(self, function_name: str, body, response_headers: dict) -> bytes:
        name = function_name.rpartition(":function:")[2] or function_name
        name = name.split(":")[0]
        handler = self.handlers.get(name)
        if handler is None:
            return _error(response_headers, "ResourceNotFoundException", "no local handler for this function")
        try:
            event = json.loads(body) if body else {}
            return json.dumps(handler(event, None)).encode("utf-8")
        except StepError as exc:
            return _error(response_headers, exc.error_name(), str(exc))
        except Exception as exc:  # handlers are phi_safe; this is a last line of defence
            return _error(response_headers, type(exc).__name__, "unexpected error outside a step")


def _error(response_headers: dict, error_type: str, message: str) -> bytes:
    response_headers["x-amz-function-error"] = "Unhandled"
    return json.dumps({"errorType": error_type, "errorMessage": message}).encode("utf-8")


def _routed_invoke(self, function_name, qualifier, body, headers, response_headers):
    router = LambdaRouter._active
    if router is None:
        raise RuntimeError("local Lambda router invoked while inactive")
    return router.invoke(function_name, body, response_headers)
