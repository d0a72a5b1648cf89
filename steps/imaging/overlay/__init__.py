"""The grammar of a scanner's patient and study overlay: what identifies a patient there even
when the text engine does not see it (an age under 90 written "49Y", a time beside the study
date, a facility's name), and the blocks that hold it (steps.imaging.policy masks the unknown
words of those blocks: an unlabelled accession number, a name the engine missed)."""

from steps.imaging.overlay.ages import ages
from steps.imaging.overlay.dates import dates, times_beside
from steps.imaging.overlay.facilities import facility_names
from steps.imaging.words import Word


def identifying(words: list[Word], dated: set[int]) -> set[int]:
    """Indexes of the words the overlay grammar reads as identifying; ``dated``: words already
    known to write a date (found by the text engine or matched in the header)."""
    found_dates = dates(words)
    return ages(words) | found_dates | times_beside(words, found_dates | dated) | facility_names(words)
