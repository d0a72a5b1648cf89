"""The steps' functions, the workflows, and every name derived from them, written once.

- ``statemachine/functions.json``: placeholder (``FetchFunctionArn``) -> handler.
- ``statemachine/<workflow>.asl.json``: a workflow (``mask_text``). A definition names
  the ARNs it needs as ``${Placeholder}``: a function's, or another workflow's as
  ``${<Workflow>StateMachineArn}`` (``${MaskTextStateMachineArn}``).
- Resource names carry the ``hdm-`` prefix and hyphens (``hdm-mask-text``); labels in
  execution names and listings are the hyphenated workflow (``mask-text``).
"""

import functools
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATEMACHINE_DIR = ROOT / "statemachine"
RESOURCE_PREFIX = "hdm-"
PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9]+)\}")
_STATE_MACHINE_SUFFIX = "StateMachineArn"
_DEFINITION_SUFFIX = ".asl.json"


@functools.cache
def function_table() -> dict[str, str]:
    """Placeholder -> dotted handler path, from statemachine/functions.json."""
    return json.loads((STATEMACHINE_DIR / "functions.json").read_text())["functions"]


def function_name(placeholder: str) -> str:
    """``FetchFunctionArn`` -> ``FetchFunction`` (construct ids, local function names)."""
    return placeholder.removesuffix("Arn")


def workflow_names() -> list[str]:
    return sorted(p.name.removesuffix(_DEFINITION_SUFFIX) for p in STATEMACHINE_DIR.glob("*" + _DEFINITION_SUFFIX))


def definition_text(workflow: str) -> str:
    """The definition as written, placeholders included."""
    path = STATEMACHINE_DIR / f"{workflow}{_DEFINITION_SUFFIX}"
    if not path.is_file():
        raise ValueError(f"unknown workflow {workflow!r}; known: {', '.join(workflow_names())}")
    return path.read_text()


def camel(workflow: str) -> str:
    """``mask_text`` -> ``MaskText``: construct ids, output names, the ASL placeholders."""
    return "".join(part.title() for part in workflow.split("_"))


def state_machine_placeholder(workflow: str) -> str:
    return camel(workflow) + _STATE_MACHINE_SUFFIX


def workflow_of_placeholder(placeholder: str) -> str | None:
    """The workflow whose ARN ``placeholder`` stands for, or None (a function's)."""
    return {state_machine_placeholder(w): w for w in workflow_names()}.get(placeholder)


def label(workflow: str) -> str:
    """``mask_text`` -> ``mask-text``: execution names and listings."""
    return workflow.replace("_", "-")


def workflow_of_label(text: str) -> str:
    return text.replace("-", "_")


def resource_name(name: str) -> str:
    """The name of a deployed-like resource (``hdm-mask-text``, ``hdm-FetchFunction``)."""
    return RESOURCE_PREFIX + name


def state_machine_name(workflow: str) -> str:
    return resource_name(label(workflow))


def function_resource_name(placeholder: str) -> str:
    """``FetchFunctionArn`` -> ``hdm-FetchFunction``: the function's name in an ARN."""
    return resource_name(function_name(placeholder))


def execution_arn(state_machine_arn: str, name: str) -> str:
    """The ARN of execution ``name`` of a state machine (as Step Functions forms it)."""
    return state_machine_arn.replace(":stateMachine:", ":execution:", 1) + ":" + name


def label_of_state_machine(arn_or_name: str) -> str:
    """``...:stateMachine:hdm-mask-text`` -> ``mask-text``."""
    return arn_or_name.rpartition(":")[2].removeprefix(RESOURCE_PREFIX)


def placeholders(definition: str) -> list[str]:
    return sorted(set(PLACEHOLDER.findall(definition)))


def check_values(workflow: str, values: Mapping[str, object]) -> None:
    """Every placeholder of ``workflow`` has a value, else ValueError naming the first missing."""
    _check_values(workflow, definition_text(workflow), values)


def _check_values(workflow: str, definition: str, values: Mapping[str, object]) -> None:
    for name in placeholders(definition):
        if name not in values:
            raise ValueError(f"{workflow}{_DEFINITION_SUFFIX}: no value for placeholder ${{{name}}}")


def substitute(workflow: str, values: Mapping[str, str]) -> str:
    """The definition with every placeholder replaced by its value."""
    definition = definition_text(workflow)  # read once: checked and substituted alike
    _check_values(workflow, definition, values)
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], definition)


def all_states(states: dict) -> Iterator[tuple[str, dict]]:
    """Every (name, state), including those inside Map processors and Parallel branches."""
    for name, state in states.items():
        yield name, state
        processor = state.get("ItemProcessor") or state.get("Iterator")
        if processor:
            yield from all_states(processor["States"])
        for branch in state.get("Branches", []):
            yield from all_states(branch["States"])
