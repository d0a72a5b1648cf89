from steps.operators.operator import Operator, OperatorContext

REDACTION = "*****"


class Redact(Operator):
    """One fixed run of '*', whatever the value's type and length."""
    name = "redact"

    def operate(self, entity_type: str, original: str, context: OperatorContext) -> str:
        return REDACTION
