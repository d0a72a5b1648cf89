"""Keyed format-preserving permutations: digits stay digits, letters stay letters of their case.

``KeyedPermutation`` is a Feistel network (alternating rounds of HMAC-SHA256 over the two
halves of the smallest bit width that holds the domain), cycle-walked back into it: a
bijection of ``0..size-1`` chosen by the key and a tweak. ``successor`` steps one place along
the permutation's order: that makes one cycle through the whole domain, so the map is
one-to-one and never returns its input. Only HMAC-SHA256 is used, so no library upgrade can
change the values.
"""

import hashlib
import hmac

ROUNDS = 10  # alternating half-rounds, as FF1 has
# A chunk of a layout is at most this many slots (26**16 < 2**76): the Feistel halves stay
# well inside one HMAC-SHA256 output.
CHUNK_SLOTS = 16
DIGITS = "0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = UPPER.lower()


class KeyedPermutation:
    def __init__(self, key: bytes, tweak: str, size: int):
        if size < 2:
            raise ValueError("a permutation needs at least two values")
        bits = max(2, (size - 1).bit_length())
        self.size = size
        self.low_bits = bits // 2
        self.low_mask = (1 << self.low_bits) - 1
        self.high_mask = (1 << (bits - self.low_bits)) - 1
        self.width = (bits - self.low_bits + 7) // 8
        self._mac = hmac.new(key, b"keyed-permutation\x00" + tweak.encode() + b"\x00", hashlib.sha256)

    def _f(self, round_number: int, value: int) -> int:
        mac = self._mac.copy()
        mac.update(bytes([round_number]) + value.to_bytes(self.width, "big"))
        return int.from_bytes(mac.digest(), "big")

    def _rounds(self, x: int, order) -> int:
        # Alternating rounds: the high half takes a keyed function of the low half, then the other
        # way round. XOR undoes itself and a round leaves the half it reads alone, so the same
        # rounds in reverse order invert the permutation. Halves of unequal widths are fine.
        high, low = x >> self.low_bits, x & self.low_mask
        for r in order:
            if r % 2 == 0:
                high ^= self._f(r, low) & self.high_mask
            else:
                low ^= self._f(r, high) & self.low_mask
        return (high << self.low_bits) | low

    def _encrypt_once(self, x: int) -> int:
        return self._rounds(x, range(ROUNDS))

    def _decrypt_once(self, x: int) -> int:
        return self._rounds(x, reversed(range(ROUNDS)))

    def encrypt(self, x: int) -> int:
        x = self._encrypt_once(x)
        while x >= self.size:  # cycle walking: under two steps on average, as 2**bits < 2 * size
            x = self._encrypt_once(x)
        return x

    def decrypt(self, x: int) -> int:
        x = self._decrypt_once(x)
        while x >= self.size:
            x = self._decrypt_once(x)
        return x

    def successor(self, x: int) -> int:
        """The next value along the keyed order: one-to-one, and never ``x`` itself."""
        return self.decrypt((self.encrypt(x) + 1) % self.size)


def _alphabet(char: str) -> str | None:
    if char in DIGITS:
        return DIGITS
    if char in UPPER:
        return UPPER
    if char in LOWER:
        return LOWER
    return None


def format_preserving(key: bytes, purpose: str, text: str, keep=lambda start, end: False) -> str:
    """``text`` with its ASCII digits and letters replaced, digits for digits and letters for
    letters of the same case; everything else (and the spans for which ``keep(start, end)`` of a
    run of letters says so) stays. One-to-one per key, purpose and layout; never ``text`` itself
    when it has a replaceable character."""
    slots = []
    shape = []
    index = 0
    while index < len(text):
        char = text[index]
        if char.isascii() and char.isalpha():
            end = index
            while end < len(text) and text[end].isascii() and text[end].isalpha():
                end += 1
            if keep(index, end):
                shape.append(text[index:end])
            else:
                slots.extend(range(index, end))
                shape.append("".join("A" if c.isupper() else "a" for c in text[index:end]))
            index = end
            continue
        if char in DIGITS:
            slots.append(index)
            shape.append("9")
        else:
            shape.append(char)
        index += 1
    if not slots:
        return text
    out = list(text)
    layout = "".join(shape)
    for start in range(0, len(slots), CHUNK_SLOTS):
        chunk = slots[start:start + CHUNK_SLOTS]
        alphabets = [_alphabet(text[i]) for i in chunk]
        value, size = 0, 1
        for i, alphabet in zip(chunk, alphabets, strict=True):
            value = value * len(alphabet) + alphabet.index(text[i])
            size *= len(alphabet)
        # Earlier chunks' originals tweak later ones: still invertible, chunk by chunk.
        tweak = f"{purpose}\x00{layout}\x00{start}\x00{text[:chunk[0]]}"
        value = KeyedPermutation(key, tweak, size).successor(value)
        for i, alphabet in reversed(list(zip(chunk, alphabets, strict=True))):
            value, digit = divmod(value, len(alphabet))
            out[i] = alphabet[digit]
    return "".join(out)
