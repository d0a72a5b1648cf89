"""The Lambda container image installs requirements/steps.txt and everything it requires
(infra/lambda.Dockerfile); the project is MIT, so none of it may be GPL or AGPL.
LGPL is accepted: Python packages are imported, and the native LGPL code in the wheels
(opencv's FFmpeg) is dynamically linked."""

import importlib.metadata
import re

from hdm.paths import ROOT

_NAME = re.compile(r"^([A-Za-z0-9._-]+)(?:\[([^\]]*)\])?")
_COPYLEFT = re.compile(r"\b(A?GPL|GNU (Affero )?General Public)", re.IGNORECASE)
_LESSER = re.compile(r"\b(LGPL|Lesser|Library General Public)", re.IGNORECASE)


def _requirement(spec: str) -> tuple[str, set[str]]:
    match = _NAME.match(spec.strip())
    return match.group(1), {e.strip() for e in (match.group(2) or "").split(",") if e.strip()}


def runtime_set() -> dict[str, importlib.metadata.Distribution]:
    """Every installed distribution the image's set pulls in, by normalised name."""
    lines = (ROOT / "requirements" / "steps.txt").read_text().splitlines()
    pending = [_requirement(line) for line in lines if line.strip() and not line.startswith("#")]
    found: dict[str, importlib.metadata.Distribution] = {}
    while pending:
        name, extras = pending.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in found:
            continue
        found[key] = importlib.metadata.distribution(name)
        for spec in found[key].requires or []:
            requirement, _, marker = spec.partition(";")
            extra = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", marker)
            if extra and extra.group(1) not in extras:
                continue
            if marker.strip() and not extra and "python_version" not in marker and "sys_platform" not in marker:
                continue
            try:
                pending.append(_requirement(requirement))
                importlib.metadata.distribution(pending[-1][0])
            except importlib.metadata.PackageNotFoundError:
                pending.pop()  # an optional or platform-specific requirement that is not installed here
    return found


def licence_of(distribution: importlib.metadata.Distribution) -> str:
    meta = distribution.metadata
    classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return " | ".join(filter(None, [meta.get("License-Expression"), (meta.get("License") or "")[:200],
                                    *classifiers]))


def is_strong_copyleft(licence: str) -> bool:
    without_lesser = _LESSER.sub("", licence.replace("LGPL", ""))
    return bool(_COPYLEFT.search(without_lesser))


def test_no_package_of_the_runtime_set_is_gpl_or_agpl():
    packages = runtime_set()
    assert {"pydicom", "python-gdcm", "dicom-anonymizer", "rapidocr", "numpy"} <= set(packages)
    assert len(packages) > 20
    copyleft = {name: licence_of(d) for name, d in packages.items() if is_strong_copyleft(licence_of(d))}
    assert copyleft == {}


def test_the_check_tells_gpl_from_lgpl():
    assert is_strong_copyleft("GPL V3.0 | License :: OSI Approved :: GNU General Public License v3 (GPLv3)")
    assert is_strong_copyleft("AGPL-3.0-only")
    assert not is_strong_copyleft("LGPL-2.1-or-later | License :: OSI Approved :: GNU Lesser General Public "
                                  "License v2 or later (LGPLv2+)")
    assert not is_strong_copyleft("MIT | License :: OSI Approved :: BSD License")
