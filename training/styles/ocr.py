"""Scanned documents read back by OCR: lines broken at the scanner's width, names split across lines."""

import random

from training.styles import discharge, form, referral
from training.surrogates import Surrogates
from training.writer import Writer


def write(rng: random.Random, s: Surrogates) -> Writer:
    w = rng.choice((referral.write, discharge.write, form.write))(rng, s)
    width = rng.randint(25, 60)
    parts, column = [], 0
    for part in w.parts:  # a space becomes a line break (same length: gold offsets stay)
        chars = list(part)
        for i, char in enumerate(chars):
            column = 0 if char == "\n" else column + 1
            if char == " " and column >= width and rng.random() < 0.7:
                chars[i], column = "\n", 0
        parts.append("".join(chars))
    w.parts = parts
    return w
