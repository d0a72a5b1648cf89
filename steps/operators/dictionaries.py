"""The shipped word lists surrogates are drawn from, frozen by the surrogate scheme.

The lists are the builtin engine's (US Census 1990 names, GeoNames places; provenance and
licences in docs/builtin-engine.md). A surrogate is an index into a list, so a changed list
would silently change surrogates: each scheme version records the SHA-256 of the lists it was
defined on, and a list that no longer matches stops surrogate mode instead of drifting.
"""

import hashlib
from dataclasses import dataclass, field
from functools import cache

from steps.errors import InternalError

# Per scheme version: list file -> SHA-256 of its entries (lower case, in file order, one a line).
FROZEN_LISTS = {
    "1": {
        "first_names.txt": "9323f70f58aca13b8f04cd2f85c9c84384de118a16b28b978971f1ce5aec5126",
        "surnames.txt": "50908402698918196072b3776bd48a8403b5e97b3a525b0b3beb75196628b220",
        "us_places.txt": "5d132794f25f85911b571b3b868fc7d5cde9a94557af218daaa0ff7814055fab",
        "world_places.txt": "c36b8c9f58219f015326487721d705fb4b0255f54f360a8c2884d4e14ab65edb",
        "us_states.txt": "8f2d5e360475c1737417469082054f0c274ede78052d5bff1f66e5ba4258eb2a",
    },
}


@dataclass(frozen=True)
class WordList:
    """Entries in file order, without repeats, and where each one stands."""
    entries: tuple[str, ...]
    index: dict[str, int] = field(compare=False)

    def __len__(self) -> int:
        return len(self.entries)


def digest(entries) -> str:
    return hashlib.sha256("\n".join(entries).encode()).hexdigest()


@cache
def word_list(scheme: str, name: str) -> WordList:
    from steps.phi.builtin.lexicon import lines  # the engine's package: loaded only when surrogates are drawn

    entries = tuple(dict.fromkeys(lines(name)))
    if digest(entries) != FROZEN_LISTS[scheme][name]:
        raise InternalError(f"the word list {name} changed since surrogate scheme {scheme} was defined: "
                            "a changed list needs a new scheme version")
    return WordList(entries, {entry: i for i, entry in enumerate(entries)})
