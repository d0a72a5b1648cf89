"""Test documents shared by several test modules (a helper module: test modules import no other test module)."""

GUIDE_NOTE = ("PERSON INFORMATION\nName: SALAZAR, CARLOS\nMRN: RQ36114734\n"
              "ED Arrival Time: 11/12/2011 18:15\nSex: Male\nDOB: 2/11/1961")
GUIDE_NOTE_MASKED = ("PERSON INFORMATION\nName: NAME\nMRN: ID\n"
                     "ED Arrival Time: DATE 18:15\nSex: Male\nDOB: DATE")
GUIDE_NOTE_PHI = ("SALAZAR", "CARLOS", "RQ36114734", "11/12/2011", "2/11/1961")


def tail(i: int) -> str:
    """A PHI-free line that differs per note (digits would read as IDs)."""
    tag = "".join("klmnprstvw"[int(digit)] for digit in f"{i:03d}")
    return f"\nVisit note {tag}-{tag}: stable, eating well.\n"


def note(i: int) -> str:
    return GUIDE_NOTE + tail(i)


def masked(i: int) -> str:
    return GUIDE_NOTE_MASKED + tail(i)
