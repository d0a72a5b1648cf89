"""Import moto's Step Functions interpreter without moto's EC2 data.

The interpreter imports ``moto.batch`` for one enum of its AWS Batch integration, and
that package's ``__init__`` loads moto's whole EC2 model data (0.65 s, every process).
No workflow here uses AWS Batch, so the package is registered without running its
``__init__``; ``moto.batch.utils`` still imports. This is the one touch that cannot
wait for a runtime to start (it must precede the interpreter's import); it changes no
behaviour, so it stays for the process's life.
"""

import importlib.util
import sys


def register_moto_batch_without_models() -> None:
    if "moto.batch" not in sys.modules:
        spec = importlib.util.find_spec("moto.batch")
        sys.modules["moto.batch"] = importlib.util.module_from_spec(spec)  # a package; __init__ not run
