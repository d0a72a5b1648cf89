"""Subcommands of ``hdm``: each module exposes ``register(subparsers)``.

The local runtime (moto, about a second to import) is imported only when a command
runs it: ``hdm --help`` and ``hdm executions`` stay instant, and ``hdm batch`` forks
its workers first, so that they import it side by side.
"""

import argparse
import contextlib
import gc
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from steps.errors import InvalidInput
from steps.options import DEFAULTS, ENTITY_TYPES, MASK_MODES, PHI_ENGINES, check_mode
from steps.pseudonym_key import KEY_FILE_VARIABLE

if TYPE_CHECKING:
    from hdm.runtime import LocalRuntime


class CliError(Exception):
    """A user-facing error: printed as one line, exit status 1."""


def threshold(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"threshold must be a number, got {value!r}") from None
    if not 0 <= number <= 1:
        raise argparse.ArgumentTypeError(f"threshold must be between 0 and 1, got {value}")
    return number


def add_threshold(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--threshold", type=threshold, default=None,
                        help="keep entities scoring at least T, 0 to 1 (default 0.5)")


def add_phi_engine(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=PHI_ENGINES, default=DEFAULTS["engine"],
                        help=f"PHI engine (default {DEFAULTS['engine']})")


def mode(value: str) -> str | dict:
    """``--mode``: one operator for every type (surrogate), or TYPE=OPERATOR pairs (NAME=surrogate,ID=hash)."""
    parsed: str | dict = value
    if "=" in value:
        pairs = [pair.partition("=") for pair in value.split(",")]
        parsed = {entity_type.strip(): name.strip() for entity_type, _, name in pairs}
    try:
        check_mode(parsed)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(f"{exc} (here: one name, or pairs like NAME=surrogate,ID=hash)") from None
    return parsed


def add_mode(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--mode", type=mode, default=None, metavar="|".join(MASK_MODES),
                        help=f"what {what} becomes: its type (default), a fixed redaction, a '*' for each "
                             "character, a surrogate of the same kind and shape, or a keyed hash token; or one "
                             f"per type, like NAME=surrogate,ID=hash (types: {','.join(ENTITY_TYPES)}; "
                             "the others get their type). See docs/operators.md")


def add_key_file(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--key-file", default=None,
                        help=f"the pseudonym key (a file of at least 16 bytes) that {what} are keyed with; "
                             f"default ${KEY_FILE_VARIABLE}, else a random key per job")


def use_key_file(args: argparse.Namespace) -> None:
    """Point the steps at ``--key-file``: they run in this process (and its forked workers) and
    find the key by its path, never the key itself in the environment."""
    path = getattr(args, "key_file", None)
    if path is None:
        return
    if not os.path.isfile(path):
        raise CliError(f"no such key file: {path}")
    os.environ[KEY_FILE_VARIABLE] = os.path.abspath(path)


def runtime(args: argparse.Namespace, one_job: bool = False) -> "LocalRuntime":
    """The local runtime. ``one_job``: this process runs a single job and exits, so the cyclic
    garbage collector stays off (its passes over moto's half a million objects cost a
    quarter of such a command's CPU; one job's garbage is small, and the process ends)."""
    if one_job:
        gc.disable()
    from hdm.runtime import LocalRuntime

    try:
        return LocalRuntime(home=args.state_dir)
    except ValueError as exc:  # a bad HDM_HISTORY_* setting
        raise CliError(str(exc)) from None


@contextlib.contextmanager
def long_lived_runtime(args: argparse.Namespace) -> Iterator["LocalRuntime"]:
    """A started runtime for a command that runs many executions (batch, --jsonl)."""
    with runtime(args) as rt:
        # Modules, moto's models and parse trees live as long as this process: keep the collector's
        # full passes off them (they cost several percent of a batch of short notes).
        gc.freeze()
        yield rt
