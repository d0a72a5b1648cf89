"""PHI detection engines behind one interface.

An engine turns a text of fewer than 20,000 UTF-8 bytes into entities in Comprehend
Medical's DetectPHI shape: ``BeginOffset``, ``EndOffset``, ``Type``, ``Score``,
``Text``. Engines are built once per process and reused (Lambda keeps them warm).
"""

from typing import Protocol

from steps.engines import built_once
from steps.errors import InvalidInput


class PhiEngine(Protocol):
    name: str

    def detect(self, text: str) -> list[dict]: ...


@built_once
def get_engine(name: str) -> PhiEngine:
    if name == "builtin":
        from steps.phi.builtin import BuiltinEngine

        return BuiltinEngine()
    if name == "comprehend-medical":
        from steps.phi.comprehend_medical import ComprehendMedicalEngine

        return ComprehendMedicalEngine()
    raise InvalidInput(f"unknown PHI engine {name!r}")
