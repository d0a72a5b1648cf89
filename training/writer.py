"""A document under construction: text appended piece by piece, with the gold span of every surrogate."""

import re

_SLOT = re.compile(r"\{([A-Z]+)\d?\}")
# Template slot -> gold type (Comprehend Medical's names). LOC is a city, facility or ward.
SLOT_TYPES = {"NAME": "NAME", "DATE": "DATE", "ADDR": "ADDRESS", "LOC": "ADDRESS", "ID": "ID",
              "PHONE": "PHONE_OR_FAX", "EMAIL": "EMAIL", "URL": "URL", "AGE": "AGE"}


class Writer:
    def __init__(self):
        self.parts: list[str] = []
        self.spans: list[dict] = []
        self.length = 0

    def text(self, piece: str) -> "Writer":
        self.parts.append(piece)
        self.length += len(piece)
        return self

    def phi(self, value: str, slot: str) -> "Writer":
        if value:
            self.spans.append({"start": self.length, "end": self.length + len(value), "type": SLOT_TYPES[slot]})
        return self.text(value)

    def say(self, template: str, **values: str) -> "Writer":
        """Append a template whose {SLOT} / {SLOT2} fields are surrogates of the slot's type."""
        position = 0
        for m in _SLOT.finditer(template):
            self.text(template[position:m.start()])
            self.phi(values[m.group(0)[1:-1]], m.group(1))
            position = m.end()
        return self.text(template[position:])

    def line(self, template: str = "", **values: str) -> "Writer":
        return self.say(template, **values).text("\n")

    def upper(self) -> "Writer":
        """All-caps, as many nursing notes are written (surrogates are ASCII: offsets stay)."""
        self.parts = [part.upper() for part in self.parts]
        return self

    def document(self, doc_id: str, style: str) -> dict:
        return {"id": doc_id, "style": style, "text": "".join(self.parts), "phi": self.spans}
