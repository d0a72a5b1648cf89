"""Writing a drawn word in the case of the word it replaces."""


def styled(template: str, word: str) -> str:
    """``word`` in ``template``'s case: SMITH -> JONES, smith -> jones, Smith (or McDonald) -> Jones."""
    letters = [c for c in template if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    if letters and all(c.islower() for c in letters):
        return word.lower()
    return word.title()
