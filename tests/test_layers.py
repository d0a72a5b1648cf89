"""The layers of docs/architecture.md, checked on the sources and on what an import loads."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from workflow_catalogue.naming import ROOT

NON_TEST_CODE = ("hdm", "steps", "infra", "workflow_catalogue", "bench")
MOTO_HOOKS = ROOT / "hdm" / "moto_hooks"


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def sources(*packages: str) -> list[Path]:
    return [path for package in packages for path in sorted((ROOT / package).rglob("*.py"))]


def top_level(modules: set[str]) -> set[str]:
    return {module.partition(".")[0] for module in modules}


def test_non_test_code_imports_moto_only_in_the_hooks_package():
    outside = [str(path.relative_to(ROOT)) for path in sources(*NON_TEST_CODE)
               if MOTO_HOOKS not in path.parents and "moto" in top_level(imported_modules(path))]
    assert outside == [], "moto internals belong in hdm/moto_hooks (one lifecycle, guarded)"


def test_steps_import_neither_the_local_runtime_nor_infra():
    offenders = {str(p.relative_to(ROOT)) for p in sources("steps")
                 if top_level(imported_modules(p)) & {"hdm", "infra", "moto"}}
    assert offenders == set()


def test_infra_imports_nothing_from_the_local_runtime():
    offenders = {str(p.relative_to(ROOT)) for p in sources("infra") if top_level(imported_modules(p)) & {"hdm", "moto"}}
    assert offenders == set()


def test_the_catalogue_needs_only_the_standard_library():
    for path in sources("workflow_catalogue"):
        foreign = top_level(imported_modules(path)) - set(sys.stdlib_module_names) - {"workflow_catalogue"}
        assert foreign == set(), f"{path.name} imports {foreign}"


def test_the_cdk_app_loads_no_moto_and_no_hdm_module():
    pytest.importorskip("aws_cdk", reason="the infra extra is not installed")
    code = ("import sys, infra.stack, infra.app\n"
            "loaded = sorted(m for m in sys.modules if m.partition('.')[0] in ('moto', 'hdm'))\n"
            "assert not loaded, loaded")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-1500:]
