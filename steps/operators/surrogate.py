from steps.operators.operator import Operator, OperatorContext


class Surrogate(Operator):
    """A realistic value of the same kind and shape (steps.operators.surrogates)."""
    name = "surrogate"
    keyed = True

    def operate(self, entity_type: str, original: str, context: OperatorContext) -> str:
        return context.surrogates.replace(entity_type, original)
