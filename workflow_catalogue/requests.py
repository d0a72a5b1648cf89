"""What both APIs refuse in a request body that a JSON schema cannot say."""


class DuplicateKeys(ValueError):
    """A JSON object names a key twice (json.loads would silently keep the last)."""


def unique_keys(pairs: list[tuple], problem: str = "duplicate key(s) in the body") -> dict:
    """An ``object_pairs_hook`` for json.loads (and query parameters): refuse repeated keys."""
    keys = [key for key, _value in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise DuplicateKeys(f"{problem}: {len(repeated)}")  # a key's name can be PHI: never echoed
    return dict(pairs)
