"""What a DICOM header value becomes under the request's ``mode`` (docs/operators.md, images).

The profile decides which attributes go (X), are emptied (Z), get a new UID (U) or are
replaced (D). The mode decides what a replacement is, for the values where a person can
tell one from another: person names (PN) the profile keeps present, and the text values (LO,
SH, ST, LT, UT, UC) it replaces. Everything else (dates, times, codes, numbers, UIDs) keeps
the profile's dummy or keyed UID in every mode, since its VR admits no '*' or token; under
``surrogate`` dates are shifted instead (steps.imaging.deid). PatientID is always the keyed
patient token.

- ``type``: the profile's own choice: a dummy of the VR, names emptied (the Basic Profile).
- ``redact``: the text path's fixed redaction, ``*****``.
- ``mask-chars``: ``*`` for each character; a name keeps its ``^`` component separators.
- ``hash``: a keyed token (the text path's ``hash`` operator), cut to the VR's length.
- ``surrogate``: names become surrogate names drawn with the key (the text path's
  ``surrogate("NAME", ...)``), in PN form; other text keeps the profile's dummy.
"""

from steps.operators.surrogates import surrogate

MODES = ("type", "redact", "mask-chars", "surrogate", "hash")
TEXT_VRS = ("LO", "SH", "ST", "LT", "UT", "UC")
REDACTION = "*****"
# The longest value of each VR (a PN component group: 64).
MAX_LENGTH = {"SH": 16, "LO": 64, "PN": 64, "ST": 1024, "LT": 10240}


class HeaderValues:
    """Replacements of header values under one mode and key."""

    def __init__(self, mode: str, key: bytes):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        self.mode, self.key = mode, key

    def name(self, value: str) -> str | None:
        """A person name's replacement in PN form (``FAMILY^GIVEN^MIDDLE``); None: emptied."""
        if self.mode == "type":
            return None
        if self.mode == "mask-chars":
            return "".join(c if c in "^=" else "*" for c in value)
        if self.mode == "surrogate":
            return _to_pn(surrogate("NAME", _from_pn(value), self.key))
        return self._token_or_redaction(value, "PN")

    def text(self, value: str, vr: str, dummy: str) -> str:
        """The replacement of a text value the profile would replace by ``dummy``."""
        if vr not in TEXT_VRS or self.mode in ("type", "surrogate"):
            return dummy
        if self.mode == "mask-chars":
            return "*" * min(len(value), MAX_LENGTH.get(vr, len(value)))
        return self._token_or_redaction(value, vr)

    def _token_or_redaction(self, value: str, vr: str) -> str:
        if self.mode == "redact":
            return REDACTION
        from steps.operators.hash import keyed_token

        return keyed_token(value, self.key)[:MAX_LENGTH.get(vr, 64)]


def _from_pn(value: str) -> str:
    """``DOE^JOHN^Q`` as a note writes it, ``DOE, JOHN Q`` (a lone family name stays alone)."""
    family, _, rest = value.split("=")[0].partition("^")
    given = " ".join(p for p in rest.split("^")[:2] if p)
    return f"{family}, {given}" if given else family


def _to_pn(value: str) -> str:
    """A name as ``LAST, FIRST M`` or ``FIRST M LAST`` in PN form."""
    if "," in value:
        family, _, given = value.partition(",")
        parts = [family.strip(), *given.split()]
    else:
        words = value.split()
        parts = words[-1:] + words[:-1]
    return "^".join(parts[:3])[:MAX_LENGTH["PN"]]
