"""Which steps' functions call a given function, read from the sources of steps/ (no import):
the handler's module and every steps module it imports, transitively."""

import ast
import functools
from pathlib import Path

from workflow_catalogue.naming import ROOT, function_table


def _module_path(module: str) -> Path | None:
    base = ROOT.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


@functools.cache
def _tree(module: str) -> ast.Module:
    path = _module_path(module)
    return ast.parse(path.read_text(), str(path))


def _imports(module: str) -> set[str]:
    """The steps modules ``module`` imports (``from steps.a import b`` may name a module or a name in it)."""
    found = set()
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {m for m in found if m.partition(".")[0] == "steps" and _module_path(m) is not None}


def closure(module: str) -> set[str]:
    seen, todo = set(), [module]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            parts = current.split(".")
            todo.extend(".".join(parts[:i]) for i in range(2, len(parts)))  # importing a.b.c runs a.b
            todo.extend(_imports(current))
    return seen


def _calls(module: str, names: set[str]) -> bool:
    """Whether ``module`` calls one of ``names`` outside their own definitions (one of them calling
    another is no use of it: importing its module calls nothing)."""
    definitions = [node for node in ast.walk(_tree(module))
                   if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in names]
    inside = {id(inner) for definition in definitions for inner in ast.walk(definition)}
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Call) and id(node) not in inside:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called in names:
                return True
    return False


def placeholders_calling(*names: str) -> set[str]:
    """The placeholders (statemachine/functions.json) whose step can call one of ``names``."""
    return {placeholder for placeholder, handler in function_table().items()
            if any(_calls(m, set(names)) for m in closure(handler.rpartition(".")[0]))}
