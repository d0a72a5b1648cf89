"""cdk-nag (AwsSolutions, HIPAA Security), cfn-lint and the npm-pinned CDK CLI over the real synth."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import aws_cdk as cdk
import pytest
from cdk_nag import AwsSolutionsChecks, HIPAASecurityChecks

from infra.settings import from_context
from infra.stack import HealthDataMaskingStack

pytestmark = pytest.mark.infra
ROOT = Path(__file__).resolve().parents[2]
# CDK's own generated code: explicit DependsOn beside a GetAtt (W3005) and on a policy (W3045).
ACCEPTED_LINT_WARNINGS = {"W3005", "W3045"}


NAG_PACKS = ("AwsSolutions::", "HIPAA.Security::")


def _acknowledgements(stack) -> dict[str, set[str]]:
    """Acknowledged cdk-nag finding id -> construct paths it was acknowledged on (CDK's own
    acknowledgements of its CloudFormation-Validate warnings are not ours to judge)."""
    found: dict[str, set[str]] = {}
    for construct in stack.node.find_all():
        for entry in construct.node.metadata:
            if entry.type == cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY:
                for rule, reason in entry.data.items():
                    if not rule.startswith(NAG_PACKS):
                        continue
                    found.setdefault(rule, set()).add(construct.node.path)
                    assert len(reason) >= 80, f"{rule}: a reason must explain, not just label"
    return found


def test_cdk_nag_packs_run_and_report_no_unacknowledged_finding(synth):
    reports = {r["pluginName"]: r for r in synth.validation_report["pluginReports"]}
    assert {"AwsSolutions", "HIPAA.Security"} <= set(reports)
    for name, report in reports.items():
        assert report["conclusion"] == "success", (name, [v["ruleName"] for v in report["violations"]])


def test_every_acknowledgement_matches_a_real_finding_on_its_scope(synth, tmp_path):
    """Synthesize again without acknowledgements: each one must cover a finding that really fires,
    and each finding must be covered by one (so none is stale or too broad)."""
    app = cdk.App(outdir=str(tmp_path), context={"engines": synth.stack.settings.engines})
    HealthDataMaskingStack(app, synth.stack.stack_name, settings=from_context(app.node))
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), HIPAASecurityChecks(app))
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text())
    findings = {(f"{r['pluginName']}::{v['ruleName']}", c["constructPath"])
                for r in report["pluginReports"] for v in r["violations"] for c in v["violatingConstructs"]}
    acknowledged = _acknowledgements(synth.stack)
    for rule, path in findings:
        assert any(path == scope or path.startswith(scope + "/") for scope in acknowledged.get(rule, ())), (
            f"{rule} on {path} is not acknowledged")
    fired = {rule for rule, _path in findings}
    assert set(acknowledged) <= fired, f"stale acknowledgements: {sorted(set(acknowledged) - fired)}"
    for rule, scopes in acknowledged.items():
        for scope in scopes:
            assert any(p == scope or p.startswith(scope + "/") for r, p in findings if r == rule), (
                f"{rule} acknowledged on {scope}, where it does not fire")


def test_cfn_lint_passes(synth):
    result = subprocess.run([sys.executable, "-m", "cfnlint", "--format", "json", str(synth.template_path)],
                            capture_output=True, text=True, timeout=120)
    problems = json.loads(result.stdout or "[]")
    assert [p for p in problems if p["Rule"]["Id"] not in ACCEPTED_LINT_WARNINGS] == []


def test_bad_context_fails_with_one_clear_line():
    with pytest.raises(ValueError, match="context 'engines' must be one of managed, builtin"):
        from_context(cdk.App(context={"engines": "gpt"}).node)
    with pytest.raises(ValueError, match="context 'functionConcurrency' must be an integer"):
        from_context(cdk.App(context={"functionConcurrency": "many"}).node)
    for days in ("0-30", "90-30", "30", "a-b"):
        with pytest.raises(ValueError, match="context 'dateShiftDays': HDM_DATE_SHIFT_DAYS must be MIN-MAX"):
            from_context(cdk.App(context={"dateShiftDays": days}).node)


def test_the_date_shift_range_is_a_stack_setting_the_keyed_steps_read():
    assert from_context(cdk.App().node).date_shift_days == "1-365"
    assert from_context(cdk.App(context={"dateShiftDays": " 30 - 90 "}).node).date_shift_days == "30-90"


@pytest.mark.slow
def test_npx_cdk_synth_works_from_cdk_json(tmp_path):
    """What a fresh machine runs after `npm ci`: the pinned CLI, cdk.json's app command, no network."""
    cli = ROOT / "node_modules" / ".bin" / "cdk"
    if not cli.exists() or shutil.which("node") is None:
        pytest.skip("the pinned CDK CLI is not installed: run `npm ci` (Makefile's dev setup does)")
    env = {**os.environ, "CDK_DISABLE_CLI_TELEMETRY": "true", "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    result = subprocess.run([str(cli), "synth", "--quiet", "--output", str(tmp_path / "cdk.out")], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    template = json.loads((tmp_path / "cdk.out" / "HealthDataMasking.template.json").read_text())
    assert any(r["Type"] == "AWS::StepFunctions::StateMachine" for r in template["Resources"].values())
