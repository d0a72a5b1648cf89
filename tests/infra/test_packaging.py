"""The zip functions carry only steps/: their handlers must import with the Lambda Python
runtime's own packages (the standard library and boto3). Steps that need more are flagged
needs_packages in infra/grants.py and run from the container image instead."""

import ast
import importlib.metadata
import json
import re
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


# -- the container image's requirements: the steps' set, nothing of the local runtime --------------
# Loaded by name at run time, never imported by steps/: pydicom's pixel decoders, RapidOCR's runtime.
RUNTIME_PLUGINS = {"pylibjpeg", "pylibjpeg-libjpeg", "pylibjpeg-openjpeg", "pyjpegls", "onnxruntime"}
LOCAL_ONLY = {"moto", "starlette", "uvicorn", "tqdm", "anyio", "jsonschema"}


def _requirements(name: str) -> set[str]:
    lines = (ROOT / "requirements" / name).read_text().splitlines()
    return {re.split(r"[\[=<>; ]", line.strip())[0].lower() for line in lines
            if line.strip() and not line.startswith("#")}


def _steps_distributions() -> set[str]:
    """The distributions that provide the third-party modules steps/ imports."""
    modules = set()
    for path in (ROOT / "steps").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules |= {alias.name.partition(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.partition(".")[0])
    providers = importlib.metadata.packages_distributions()
    third_party = modules - set(sys.stdlib_module_names) - {"steps"}
    missing = sorted(m for m in third_party if m not in providers)
    assert not missing, f"steps/ imports modules no installed distribution provides: {missing}"
    return {providers[m][0].lower() for m in third_party}


def test_the_lambda_image_installs_the_steps_set_only():
    dockerfile = (ROOT / "infra" / "lambda.Dockerfile").read_text()
    installs = re.findall(r"pip install ([^&\n]+)", dockerfile)
    assert installs == ["--no-cache-dir -r /tmp/steps.txt "], installs
    assert "COPY requirements/steps.txt /tmp/steps.txt" in dockerfile


def test_the_steps_set_is_what_the_steps_import_and_nothing_local():
    steps_set = _requirements("steps.txt")
    assert _steps_distributions() <= steps_set, "a distribution steps/ imports is missing from requirements/steps.txt"
    assert steps_set - _steps_distributions() <= RUNTIME_PLUGINS, "requirements/steps.txt lists what no step uses"
    assert not steps_set & LOCAL_ONLY
    assert LOCAL_ONLY <= _requirements("local.txt")


def test_the_image_build_context_holds_the_steps_and_their_requirements_only():
    import aws_cdk as cdk

    from infra.functions import IMAGE_CONTEXT

    context = cdk.IgnoreStrategy.docker(str(ROOT), IMAGE_CONTEXT)
    sent = {path: not context.ignores(str(ROOT / path)) for path in (
        "requirements/steps.txt", "steps/fetch.py", "infra/lambda.Dockerfile",
        "requirements/local.txt", "hdm/runtime.py", "pyproject.toml", "workflow_catalogue/naming.py")}
    assert sent == {"requirements/steps.txt": True, "steps/fetch.py": True, "infra/lambda.Dockerfile": True,
                    "requirements/local.txt": False, "hdm/runtime.py": False, "pyproject.toml": False,
                    "workflow_catalogue/naming.py": False}
