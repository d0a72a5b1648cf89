from steps.operators.operator import Operator, OperatorContext


class TypeLabel(Operator):
    """The entity's type (NAME, DATE...): the default."""
    name = "type"

    def operate(self, entity_type: str, original: str, context: OperatorContext) -> str:
        return entity_type
