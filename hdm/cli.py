"""The ``hdm`` command: run the masking workflows on this machine, offline."""

import argparse
import gc
import importlib
import logging
import sys
from pathlib import Path

from hdm import __version__
from hdm.commands import CliError
from hdm.execution import WorkflowError
from steps import log
from steps.errors import StepError

# Each names a module of hdm/commands exposing register(subparsers).
COMMAND_MODULES = ("text", "image", "batch", "executions", "serve")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hdm", description=__doc__)
    parser.add_argument("--version", action="version", version=f"hdm {__version__}")
    parser.add_argument("--state-dir", type=Path, default=None,
                        help="where executions and work areas live (default $HDM_STATE_DIR or ~/.local/state/hdm)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log step events (no PHI) to stderr")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"hdm.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    log.configure(logging.INFO if args.verbose else logging.WARNING)
    try:
        status = args.func(args) or 0
    except WorkflowError as exc:
        execution = exc.execution
        print(f"hdm: error: {execution.error}: {execution.cause_message} (execution {execution.name})",
              file=sys.stderr)
        return 1
    except (CliError, StepError) as exc:
        print(f"hdm: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # the state dir or an output unusable (read-only, full): its path, never content
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"hdm: error: {exc.strerror or type(exc).__name__}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("hdm: interrupted", file=sys.stderr)
        return 130
    return status


def console() -> None:
    """The ``hdm`` executable: ``main``, then exit without the collector's last passes over
    moto's large object graph (about 0.7 s at every exit)."""
    status = main()
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    console()
