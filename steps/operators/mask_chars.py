from steps.operators.operator import Operator, OperatorContext

MASK_CHAR = "*"


class MaskChars(Operator):
    """A '*' for each character: the value's length stays, line breaks too (a layout survives)."""
    name = "mask-chars"

    def operate(self, entity_type: str, original: str, context: OperatorContext) -> str:
        return "".join(c if c in "\r\n" else MASK_CHAR for c in original)
