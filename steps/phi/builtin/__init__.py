"""The offline PHI engine: recognizer layers composed by a registry, then a Safe Harbor policy.

Layers (one job a file): structured PHI (dates, phones, internet contacts, identifiers, ages,
addresses), names, places, and a CRF tagger for names and places trained on generated documents
(tagger.py); SafeHarborPolicy has the last word. Scores are calibrated on the
PhysioNet dev corpus so that 0.5 keeps what is probably PHI (docs/builtin-engine.md).
"""

from steps.phi.builtin import lexicon
from steps.phi.builtin.addresses import AddressRecognizer
from steps.phi.builtin.ages import AgeRecognizer
from steps.phi.builtin.contacts import ContactRecognizer
from steps.phi.builtin.dates import DateRecognizer
from steps.phi.builtin.document_numbers import DocumentNumberRecognizer
from steps.phi.builtin.iban import IbanRecognizer
from steps.phi.builtin.identifiers import IdentifierRecognizer
from steps.phi.builtin.international_phones import InternationalPhoneRecognizer
from steps.phi.builtin.locations import LocationRecognizer
from steps.phi.builtin.names import NameRecognizer
from steps.phi.builtin.payment_cards import PaymentCardRecognizer
from steps.phi.builtin.person_name_values import PersonNameValueRecognizer
from steps.phi.builtin.phones import PhoneRecognizer
from steps.phi.builtin.policy import SafeHarborPolicy
from steps.phi.builtin.registry import Candidate, Registry
from steps.phi.builtin.tables import TableRecognizer
from steps.phi.builtin.tagger import TaggerRecognizer


def default_registry(model_path=None, *, day_first: bool = False) -> Registry:
    """model_path: other tagger weights than the shipped ones (the bench's leave-one-style-out models);
    day_first: read day/month pairs without a year (14/3) day-first, as in most of the world."""
    lex = lexicon.load()
    return Registry(
        recognizers=(DateRecognizer(day_first), PhoneRecognizer(), InternationalPhoneRecognizer(), ContactRecognizer(),
                     IdentifierRecognizer(), DocumentNumberRecognizer(), IbanRecognizer(), PaymentCardRecognizer(),
                     AgeRecognizer(), AddressRecognizer(lex), NameRecognizer(lex), LocationRecognizer(lex),
                     TableRecognizer(lex), PersonNameValueRecognizer(), TaggerRecognizer(lex, model_path)),
        policy=SafeHarborPolicy(lex),
    )


class BuiltinEngine:
    name = "builtin"

    def __init__(self, registry: Registry | None = None):
        self.registry = registry or default_registry()

    def candidates(self, text: str) -> list[Candidate]:
        """Every finding with the rule that made it (for calibration and tests)."""
        return self.registry.analyse(text)

    def detect(self, text: str) -> list[dict]:
        return [{"BeginOffset": c.begin, "EndOffset": c.end, "Type": c.type, "Score": round(c.score, 3),
                 "Text": text[c.begin:c.end]} for c in self.candidates(text)]
