"""Word lists shipped in data/ (provenance in docs/builtin-engine.md), loaded once per process."""

from dataclasses import dataclass
from functools import cache
from importlib.resources import files


def lines(name: str) -> list[str]:
    """The entries of one word list of data/, in file order, lower case."""
    text = files("steps.phi.builtin").joinpath("data", name).read_text(encoding="utf-8")
    return [line.lower() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _words(name: str) -> frozenset[str]:
    return frozenset(word for line in lines(name) for word in line.split())


@dataclass(frozen=True)
class Lexicon:
    first_names: frozenset[str]
    surnames: frozenset[str]
    common_words: frozenset[str]
    places: frozenset[str]  # whole place names, some of several words ("ellicott city")
    world_places: frozenset[str]  # cities outside the US with 100,000+ inhabitants ("leeds", "san juan")
    states: frozenset[str]
    countries: frozenset[str]  # never PHI under Safe Harbor, though many are also US towns (Italy, Peru, Lebanon)
    not_phi: frozenset[str]  # clinical abbreviations, field labels, drugs, units, function words
    eponyms: frozenset[str]  # people's names that mostly mean a sign, score or device

    def is_name_like(self, word: str) -> bool:
        w = word.lower()
        if len(w) > 3 and w[1] == "'":  # o'brien, d'angelo
            w = w[2:]
        return (w in self.first_names or w in self.surnames) and w not in self.not_phi and w not in self.eponyms

    def is_ordinary(self, word: str) -> bool:
        w = word.lower()
        return w in self.not_phi or w in self.common_words or w in self.eponyms


@cache
def load() -> Lexicon:
    return Lexicon(
        first_names=_words("first_names.txt"),
        surnames=_words("surnames.txt"),
        common_words=_words("common_words.txt"),
        places=frozenset(lines("us_places.txt")),
        world_places=frozenset(lines("world_places.txt")),
        states=frozenset(lines("us_states.txt")),
        countries=frozenset(lines("countries.txt")),
        not_phi=_words("not_phi.txt"),
        eponyms=_words("eponyms.txt"),
    )
