"""Make moto's Step Functions interpreter cheap enough to run every job through it.

Per execution moto would parse the definition with its pure-Python ANTLR parser
(about 0.2 s for each of ours, once more when a state machine is created), build a
new boto3 client for every task, and parse every JSONPath anew. While a
``LocalRuntime`` is active these are cached instead:

- parse trees, by definition text; every parse still returns a fresh program
  (moto's evaluation components hold per-execution state), built from the tree;
- boto3 clients, one per service: moto's clients ignore the credentials (one local
  account) and are thread-safe; they are bound to the mock, so the cache is emptied
  when the runtime stops;
- parsed JSONPath expressions.

And it imports faster: the interpreter imports ``moto.batch`` for one enum of its AWS
Batch integration, and that package's ``__init__`` loads moto's whole EC2 model data
(0.65 s, every process). No workflow here uses AWS Batch, so the package is registered
without running its ``__init__``; ``moto.batch.utils`` still imports.

These are moto internals: moto is pinned, and tests/workflow/test_interpreter.py fails
loudly if the hook points move.
"""

import contextlib
import functools
import importlib.util
import logging
import sys


def _register_moto_batch_without_models() -> None:
    if "moto.batch" not in sys.modules:
        spec = importlib.util.find_spec("moto.batch")
        sys.modules["moto.batch"] = importlib.util.module_from_spec(spec)  # a package; __init__ not run


_register_moto_batch_without_models()

from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser  # noqa: E402
from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor  # noqa: E402
from moto.stepfunctions.parser.asl.utils import boto_client as moto_clients  # noqa: E402
from moto.stepfunctions.parser.asl.utils import json_path as moto_json_path  # noqa: E402

# moto's parser warns about declarations it does not evaluate (ToleratedFailurePercentagePath).
logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)
_parse = AmazonStateLanguageParser.parse
_parse_json_path = moto_json_path.parse


@functools.lru_cache(maxsize=64)
def parse_tree(definition: str):
    """The ANTLR tree of a definition (read-only: shared by every execution of it)."""
    return _parse(definition)[1]


def _parse_with_cached_tree(definition: str):
    tree = parse_tree(definition)
    return Preprocessor().visit(tree), tree


_cached_client = functools.lru_cache(maxsize=32)(moto_clients.boto_client_for)


def _client_for(region: str, service: str, state_credentials=None):
    return _cached_client(region, service)


def _client_users() -> list:
    """The interpreter modules that imported ``boto_client_for`` by name."""
    return [module for name, module in list(sys.modules.items())
            if name.startswith("moto.stepfunctions.parser.") and getattr(module, "boto_client_for", None)
            is moto_clients.boto_client_for]


@contextlib.contextmanager
def cached_interpreter():
    """Install the caches for the duration (one runtime per process: see hdm.routing)."""
    client_users = _client_users()
    AmazonStateLanguageParser.parse = staticmethod(_parse_with_cached_tree)
    for module in client_users:
        module.boto_client_for = _client_for
    moto_json_path.parse = functools.lru_cache(maxsize=1024)(_parse_json_path)
    try:
        yield
    finally:
        AmazonStateLanguageParser.parse = staticmethod(_parse)
        for module in client_users:
            module.boto_client_for = moto_clients.boto_client_for
        moto_json_path.parse = _parse_json_path
        _cached_client.cache_clear()
