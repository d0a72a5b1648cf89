"""PlanObject: for one object that needs its own workflow, which one, where to, and whether it is done."""

from steps.batch import objects
from steps.errors import phi_safe


@phi_safe
def handler(event: dict, context=None) -> dict:
    return objects.plan(event["object"], event["listing"], event["destination"], event["workPrefix"])
