import re

from steps.operators.operator import Operator, OperatorContext
from steps.pseudonym_key import keyed_digest

TOKEN_HEX_DIGITS = 16


class HashToken(Operator):
    """A keyed token (HMAC-SHA256 under the pseudonym key, never a plain hash, which anyone could
    compute over a list of names): NAME-5F0C2A91D3B7E846. The value is read without regard to case
    and spacing, so "John  Smith" and "JOHN SMITH" get one token; its type is part of the token."""
    name = "hash"
    keyed = True

    def operate(self, entity_type: str, original: str, context: OperatorContext) -> str:
        normal = re.sub(r"\s+", " ", original.strip().casefold())
        digest = keyed_digest(context.required_key(), f"hash-token\x00{entity_type}", normal)
        return f"{entity_type}-{digest.hex()[:TOKEN_HEX_DIGITS].upper()}"
