"""Replace attributes of moto's modules and classes, and put them back exactly."""

_NOT_INSTALLED = object()
_ABSENT = object()  # the owner had no such attribute of its own: removing the patch deletes it


class Patch:
    """``owner.attribute`` replaced by ``make(original)`` while installed.

    ``owner`` is a module or a class; the original is kept as stored (a staticmethod
    stays one), so removing the patch restores the very same object.
    """

    def __init__(self, owner, attribute: str, make):
        self.owner, self.attribute, self._make = owner, attribute, make
        self._saved = _NOT_INSTALLED

    def install(self) -> None:
        stored = vars(self.owner).get(self.attribute, _ABSENT)
        setattr(self.owner, self.attribute, self._make(getattr(self.owner, self.attribute, None)))
        self._saved = stored

    def uninstall(self) -> None:
        if self._saved is _ABSENT:
            delattr(self.owner, self.attribute)
        elif self._saved is not _NOT_INSTALLED:
            setattr(self.owner, self.attribute, self._saved)
        self._saved = _NOT_INSTALLED
