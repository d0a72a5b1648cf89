"""Where the local side keeps its state: execution histories, work areas, local buckets."""

import os
from pathlib import Path

from workflow_catalogue.naming import ROOT  # noqa: F401 - the repository's layout, written once


def state_dir() -> Path:
    """``$HDM_STATE_DIR``, else ``$XDG_STATE_HOME/hdm``, else ``~/.local/state/hdm``."""
    explicit = os.environ.get("HDM_STATE_DIR")
    if explicit:
        return Path(explicit).expanduser().resolve()
    xdg = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(xdg).expanduser().resolve() / "hdm"
