"""The offline PHI engine: rule layers composed by a registry (first version)."""

import re

_DATE = re.compile(r"\b(?:\d{1,2}[/-]\d{1,2}[/-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})\b")
_PHONE = re.compile(r"(?<!\d)(?:\(\d{3}\)\s*|\d{3}[-.\s])\d{3}[-.]\d{4}(?!\d)")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+")
_LABELLED_ID = re.compile(r"\b(?:MRN|MR#|Account|Acct|SSN|ID)\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{4,})\b", re.I)
_LABELLED_NAME = re.compile(r"\b(?:Name|Patient|Pt)\s*:\s*([A-Z][A-Za-z'-]+(?:,[ \t]*[A-Z][A-Za-z'-]+)*(?:[ \t]+[A-Z][A-Za-z'-]+)*)")
_TITLED_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Miss)\.?\s+([A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)")


class BuiltinEngine:
    name = "builtin"

    _RULES = (
        (_DATE, "DATE", 0, 0.9),
        (_PHONE, "PHONE_OR_FAX", 0, 0.9),
        (_EMAIL, "EMAIL", 0, 0.95),
        (_URL, "URL", 0, 0.9),
        (_LABELLED_ID, "ID", 1, 0.9),
        (_LABELLED_NAME, "NAME", 1, 0.85),
        (_TITLED_NAME, "NAME", 1, 0.8),
    )

    def detect(self, text: str) -> list[dict]:
        entities = []
        for pattern, entity_type, group, score in self._RULES:
            for match in pattern.finditer(text):
                begin, end = match.span(group)
                entities.append({"BeginOffset": begin, "EndOffset": end, "Type": entity_type,
                                 "Score": score, "Text": text[begin:end]})
        return sorted(entities, key=lambda e: e["BeginOffset"])
