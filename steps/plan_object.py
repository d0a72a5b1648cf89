"""PlanObject: for one object that needs its own workflow, which one, and where to."""

from steps.batch import objects
from steps.errors import phi_safe


@phi_safe
def handler(event: dict, context=None) -> dict:
    plan = objects.plan(event["object"], event["listing"], event["destination"])
    return {**plan, "work": objects.work_ref(event["workPrefix"], plan["object"])}
