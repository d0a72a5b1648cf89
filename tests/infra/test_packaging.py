"""The zip functions carry only steps/: their handlers must import with the Lambda Python
runtime's own packages (the standard library and boto3). Steps that need more are flagged
needs_packages in infra/grants.py and run from the container image instead."""

import json
import subprocess
import sys

import pytest

from infra.grants import access_for
from workflow_catalogue.naming import ROOT, function_table

pytestmark = pytest.mark.infra
# What the Lambda Python runtime provides besides the standard library.
RUNTIME_PACKAGES = ["boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six"]

PROBE = """
import importlib, importlib.abc, json, sys
allowed = set(sys.stdlib_module_names) | set(json.loads(sys.argv[1])) | {"steps"}

class RuntimeOnly(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] not in allowed:
            raise ImportError(f"{name} is not in the Lambda Python runtime")
        return None

sys.meta_path.insert(0, RuntimeOnly())
for handler in json.loads(sys.argv[2]):
    module, _, attribute = handler.rpartition(".")
    getattr(importlib.import_module(module), attribute)
"""


def test_zip_function_handlers_import_with_the_runtime_packages_only():
    zipped = [handler for placeholder, handler in function_table().items()
              if not access_for(placeholder).needs_packages]
    assert "steps.detect_phi.handler" in zipped
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(RUNTIME_PACKAGES), json.dumps(zipped)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-1500:]


def test_the_probe_catches_a_handler_that_needs_more():
    image_step = [h for p, h in function_table().items() if access_for(p).needs_packages]
    assert image_step, "the image steps need Pillow and numpy"
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(RUNTIME_PACKAGES), json.dumps(image_step)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode != 0 and "is not in the Lambda Python runtime" in result.stderr
