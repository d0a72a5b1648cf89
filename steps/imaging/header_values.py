"""What a DICOM header value becomes under the request's ``mode`` (docs/operators.md, images).

The profile decides which attributes go (X), are emptied (Z), get a new UID (U) or are
replaced (D). The mode decides what a replacement is, for the values where one person can
be told from another: person names (PN) the profile keeps present, and the text values (LO,
SH, ST, LT, UT, UC) it replaces. Everything else (codes, numbers, UIDs) keeps the profile's
dummy or keyed UID in every mode, since its VR admits no '*' or token; dates and times keep
it too, unless the mode asks for surrogate dates: then they are shifted (steps.imaging.deid).
PatientID is always the keyed patient token.

The operators are the text path's (steps.operators), so that a mode means one thing for a
note and for an image:
- ``type``: the profile's own choice: a dummy of the VR, names emptied (the Basic Profile).
- ``redact``: the fixed redaction, ``*****``.
- ``mask-chars``: ``*`` for each character; a name keeps its ``^`` component separators.
- ``hash``: a keyed token, cut to the VR's length.
- ``surrogate``: a surrogate name drawn with the key, in PN form; other text keeps the
  profile's dummy (what an accession number or a department's name would become is no more
  useful than the dummy, and a realistic one could be taken for the original).
A mode given per entity type applies its NAME operator to names, its ID operator to other
text, and its DATE operator decides whether dates are shifted.
"""

from steps.operators.operator import OperatorContext
from steps.operators.registry import operator_for
from steps.operators.surrogates import surrogate

TEXT_VRS = ("LO", "SH", "ST", "LT", "UT", "UC")
# The longest value of each VR (a PN component group: 64).
MAX_LENGTH = {"SH": 16, "LO": 64, "PN": 64, "ST": 1024, "LT": 10240}


def shifts_dates(mode: str | dict) -> bool:
    return operator_for(mode, "DATE").name == "surrogate"


class HeaderValues:
    """Replacements of header values under one mode and key."""

    def __init__(self, mode: str | dict, key: bytes):
        self.key = key
        self._names, self._texts = operator_for(mode, "NAME"), operator_for(mode, "ID")
        self._context = OperatorContext(key)
        self.replaces_names = self._names.name != "type"
        self.draws_surrogates = "surrogate" in (self._names.name, self._texts.name) or shifts_dates(mode)

    def name(self, value: str) -> str | None:
        """A person name's replacement in PN form (``FAMILY^GIVEN^MIDDLE``); None: emptied."""
        kind = self._names.name
        if kind == "type":
            return None
        if kind == "surrogate":
            return _to_pn(surrogate("NAME", _from_pn(value), self.key))
        if kind == "mask-chars":
            return "^".join(self._names.operate("NAME", part, self._context) for part in value.split("^"))
        return self._names.operate("NAME", _from_pn(value), self._context)[:MAX_LENGTH["PN"]]

    def text(self, value: str, vr: str, dummy: str) -> str:
        """The replacement of a text value the profile would replace by ``dummy``."""
        if vr not in TEXT_VRS or self._texts.name in ("type", "surrogate"):
            return dummy
        replaced = self._texts.operate("ID", value, self._context)
        return replaced[:MAX_LENGTH.get(vr, len(replaced))]


def _from_pn(value: str) -> str:
    """``DOE^JOHN^Q`` as a note writes it, ``DOE, JOHN Q`` (a lone family name stays alone)."""
    family, _, rest = value.split("=")[0].partition("^")
    given = " ".join(p for p in rest.split("^")[:2] if p)
    return f"{family}, {given}" if given else family


def _to_pn(value: str) -> str:
    """A name written ``LAST, FIRST M`` or ``FIRST M LAST`` in PN form."""
    if "," in value:
        family, _, given = value.partition(",")
        parts = [family.strip(), *given.split()]
    else:
        words = value.split()
        parts = words[-1:] + words[:-1]
    return "^".join(parts[:3])[:MAX_LENGTH["PN"]]
