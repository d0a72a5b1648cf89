"""Lambda tasks call the steps/ handlers in-process.

moto's interpreter invokes a Lambda task through a boto3 Lambda client, moto's
request serialization and its Lambda backend. Locally the function is one of
statemachine/functions.json's handlers, so ``lambda_eval_utils._invoke_lambda_function``
is replaced by a direct call, with Lambda's answer shape: the JSON payload, and
``FunctionError`` with ``{"errorType", "errorMessage"}`` when the handler raised.
One function's invocations may be sent elsewhere for a while (``replaced``: bulk
text runs MaskTextBatch in a pool of processes, as Lambda would in sandboxes).
"""

import contextlib
import importlib
import json
from collections.abc import Callable, Iterator

from steps.errors import StepError
from workflow_catalogue import naming


def _load(dotted: str):
    module, _, attribute = dotted.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


class LambdaRouter:
    """Function name -> handler, each imported on its first call (a text job imports no image step)."""

    def __init__(self):
        self.handler_paths = {naming.function_resource_name(placeholder): dotted
                              for placeholder, dotted in naming.function_table().items()}
        self._handlers: dict = {}
        self._replacements: dict[str, Callable] = {}

    @contextlib.contextmanager
    def replaced(self, name: str, handler: Callable) -> Iterator[None]:
        """Invocations of function ``name`` call ``handler(event, context)`` instead while in this block."""
        if name not in self.handler_paths:
            raise KeyError(f"no local function {name}")
        if self._replacements.setdefault(name, handler) is not handler:
            raise RuntimeError(f"the invocations of {name} already go elsewhere")
        try:
            yield
        finally:
            del self._replacements[name]

    def handler(self, name: str):
        if name in self._replacements:
            return self._replacements[name]
        if name not in self._handlers:
            self._handlers[name] = _load(self.handler_paths[name])
        return self._handlers[name]

    def invoke(self, function: str, payload: bytes | None) -> dict:
        name = function.rpartition(":function:")[2].split(":")[0] or function
        if name not in self.handler_paths:
            return _failure("ResourceNotFoundException", "no local handler for this function")
        try:
            result = self.handler(name)(json.loads(payload) if payload else {}, None)
            # Through JSON as on AWS: the state gets its own copy, in JSON's types.
            return {"StatusCode": 200, "Payload": json.loads(json.dumps(result))}
        except StepError as exc:
            return _failure(exc.error_name(), str(exc))
        except Exception as exc:  # handlers are phi_safe; this is a last line of defence
            return _failure(type(exc).__name__, "unexpected error outside a step")


def _failure(error_type: str, message: str) -> dict:
    return {"StatusCode": 200, "FunctionError": "Unhandled",
            "Payload": {"errorType": error_type, "errorMessage": message}}
