"""The operator interface: what one detected PHI span becomes."""

from dataclasses import dataclass, field

from steps.errors import InternalError
from steps.operators import date_shift
from steps.operators.surrogates import Surrogates


@dataclass
class OperatorContext:
    """What keyed operators need for one document: the pseudonym key and the patient's date shift
    (days back; 0 when no patient is named). One context is one document's surrogates."""
    key: bytes | None = None
    shift_days: int = 0
    _surrogates: Surrogates | None = field(default=None, repr=False)

    def for_document(self, patient_id: str | None = None) -> "OperatorContext":
        """A fresh context (its own surrogate memory) under the same key for one more document;
        a ``patient_id`` (a bulk line's, read in the step) gives that patient's shift."""
        if self.key is None or not patient_id:
            return OperatorContext(self.key, self.shift_days)
        return OperatorContext(self.key, date_shift.shift_days(self.key, self.patient_token(patient_id)))

    def patient_token(self, patient_id: str) -> str:
        return date_shift.patient_token(self.required_key(), patient_id)

    def required_key(self) -> bytes:
        if self.key is None:
            raise InternalError("a keyed operator was given no pseudonym key")
        return self.key

    @property
    def surrogates(self) -> Surrogates:
        if self._surrogates is None:
            self._surrogates = Surrogates(self.required_key(), self.shift_days)
        return self._surrogates


class Operator:
    name: str = ""
    keyed = False  # needs the pseudonym key

    def operate(self, entity_type: str, original: str, context: OperatorContext) -> str:
        raise NotImplementedError
