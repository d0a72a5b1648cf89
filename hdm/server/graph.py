"""An execution drawn as the graph of its state machine: nodes from the ASL definition,
coloured by what the execution's history says each state did."""

import json

from hdm import history
from workflow_catalogue import naming


def _transitions(state: dict) -> list[tuple[str, str]]:
    """(target, kind) for every way out of a state."""
    targets = []
    if "Next" in state:
        targets.append((state["Next"], "next"))
    targets += [(choice["Next"], "choice") for choice in state.get("Choices", [])]
    if "Default" in state:
        targets.append((state["Default"], "default"))
    targets += [(catch["Next"], "catch") for catch in state.get("Catch", [])]
    return targets


def _walk(states: dict, parent: str | None, nodes: list, edges: list) -> None:
    for name, state in states.items():
        nodes.append({"state": name, "type": state["Type"], "parent": parent})
        edges += [{"from": name, "to": target, "kind": kind} for target, kind in _transitions(state)]
        processor = state.get("ItemProcessor") or state.get("Iterator")
        if processor:
            edges.append({"from": name, "to": processor["StartAt"], "kind": "iteration"})
            _walk(processor["States"], name, nodes, edges)
        for branch in state.get("Branches", []):
            edges.append({"from": name, "to": branch["StartAt"], "kind": "branch"})
            _walk(branch["States"], name, nodes, edges)


def _status(row: dict | None) -> str:
    """not run, failed, error (ran but hit errors: retried or caught), or succeeded."""
    if row is None:
        return "not run"
    if row["failed"]:
        return "failed"
    return "error" if row["errors"] else "succeeded"


def execution_graph(record: dict) -> dict:
    """Nodes (with runs, failures, retries, errors) and edges for one persisted execution."""
    workflow = naming.workflow_of_label(history.summary(record)["workflow"])
    definition = json.loads(naming.definition_text(workflow))
    nodes, edges = [], []
    _walk(definition["States"], None, nodes, edges)
    table = {row["state"]: row for row in history.state_table(record)}
    for node in nodes:
        row = table.get(node["state"])
        node.update(runs=row["runs"] if row else 0, failed=row["failed"] if row else 0,
                    retries=row["retries"] if row else 0, errors=row["errors"] if row else [],
                    status=_status(row))
    return {"startAt": definition["StartAt"], "nodes": nodes, "edges": edges}
