"""Synthesize the CDK app once per test session (the first synth in a process costs ~10 s)."""

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("CDK_DISABLE_CLI_TELEMETRY", "true")

cdk = pytest.importorskip("aws_cdk", reason="the infra extra is not installed (pip install -e '.[infra]')")


@dataclass
class Synth:
    stack: object
    outdir: Path
    template: dict

    @property
    def resources(self) -> dict:
        return self.template["Resources"]

    def of_type(self, kind: str) -> dict:
        return {lid: r for lid, r in self.resources.items() if r["Type"] == kind}

    def method(self, path: str, http_method: str) -> dict:
        """The properties of the API method at ``path`` (as in infra.api resource_ids)."""
        resource_id = self.stack.resolve(self.stack.api.resource_ids[path])
        (method,) = [m["Properties"] for m in self.of_type("AWS::ApiGateway::Method").values()
                     if m["Properties"]["ResourceId"] == resource_id and m["Properties"]["HttpMethod"] == http_method]
        return method

    @property
    def template_path(self) -> Path:
        return self.outdir / f"{self.stack.stack_name}.template.json"

    @property
    def validation_report(self) -> dict:
        return json.loads((self.outdir / "validation-report.json").read_text())


def synthesize(outdir: Path, context: dict) -> Synth:
    from infra.app import build

    app = cdk.App(outdir=str(outdir), context=context)
    stack = build(app)
    app.synth()
    return Synth(stack, outdir, json.loads((outdir / f"{stack.stack_name}.template.json").read_text()))


@pytest.fixture(scope="session")
def managed(tmp_path_factory) -> Synth:
    """The default deployment: Comprehend Medical / Rekognition engines, zip functions."""
    return synthesize(tmp_path_factory.mktemp("cdk-managed"), {"engines": "managed"})


@pytest.fixture(scope="session")
def builtin(tmp_path_factory) -> Synth:
    """The built-in engines inside Lambda (container image): no managed AI service."""
    return synthesize(tmp_path_factory.mktemp("cdk-builtin"), {"engines": "builtin"})


@pytest.fixture(params=["managed", "builtin"])
def synth(request) -> Synth:
    return request.getfixturevalue(request.param)
