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

from steps.options import DEFAULTS, MASK_MODES, PHI_ENGINES
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


def add_operator_options(parser: argparse.ArgumentParser, applies_to: str) -> None:
    """``--mode`` and ``--key-file``, the same for every command that masks (docs/operators.md)."""
    parser.add_argument("--mode", choices=MASK_MODES, default=None,
                        help=f"what {applies_to} become: type (default) its type label, redact a fixed redaction, "
                             "mask-chars '*' for each character, surrogate a realistic keyed surrogate (dates "
                             "shifted per patient), hash a keyed token")
    parser.add_argument("--key-file", default=None,
                        help="the pseudonym key (a file of at least 16 bytes) that surrogates, tokens, date shifts "
                             f"and new DICOM UIDs are keyed with; default ${KEY_FILE_VARIABLE}, else a random key "
                             "per job")


def use_key_file(args: argparse.Namespace) -> None:
    """Point the steps at ``--key-file``: they run in this process (or its forks) and find the key
    by its path, never the key itself in the environment."""
    if args.key_file is None:
        return
    if not os.path.isfile(args.key_file):
        raise CliError(f"no such key file: {args.key_file}")
    os.environ[KEY_FILE_VARIABLE] = os.path.abspath(args.key_file)


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
