"""Parse trees of the definitions, parsed once per machine rather than once per process.

moto's ANTLR parser is pure Python: about 0.25 s for the text workflow, at the start of
every one-shot command. A parsed tree is made self-contained (token texts kept, no
reference to the parser or its input stream) and pickled under the state directory,
keyed by a hash of the definition, moto's and antlr4's versions and Python's. A
cached tree is loaded only from a directory of the user's own that nobody else may
write to (a pickle can run code).
"""

import contextlib
import functools
import gc
import hashlib
import importlib.metadata
import os
import pickle
import sys
import tempfile
from pathlib import Path

from antlr4 import ParserRuleContext
from antlr4.tree.Tree import TerminalNodeImpl
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

_parse = AmazonStateLanguageParser.parse  # moto's own, taken before any patch
_FORMAT = 1  # bump when detach() changes what a cached tree holds


@functools.cache
def _versions() -> str:
    packages = [importlib.metadata.version(name) for name in ("moto", "antlr4-python3-runtime")]
    return "|".join((str(_FORMAT), *packages, sys.version))


def cache_key(definition: str) -> str:
    return hashlib.sha256(f"{_versions()}\0{definition}".encode()).hexdigest()


def _detach_token(token) -> None:
    if token is not None and token.source != (None, None):
        token._text = token.text  # read from the input stream while it is still there
        token.source = (None, None)


def detach(tree) -> None:
    """Drop the tree's references to the parser, lexer and input (the preprocessor needs none)."""
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ParserRuleContext):
            node.parser = None
            node.exception = None
            _detach_token(node.start)
            _detach_token(node.stop)
            pending.extend(node.children or [])
        elif isinstance(node, TerminalNodeImpl):
            _detach_token(node.symbol)


def _private_directory(directory: Path) -> bool:
    """Ours alone: owned by this user, writable by nobody else."""
    try:
        info = directory.stat()
    except FileNotFoundError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


class TreeCache:
    """Parse trees by definition text: in memory, and on disk under ``directory`` (if given)."""

    def __init__(self, directory: Path | None = None):
        self.directory = Path(directory) if directory else None
        self._trees: dict[str, object] = {}

    def tree(self, definition: str):
        tree = self._trees.get(definition)
        if tree is None:
            tree = self._load(definition)
            if tree is None:
                tree = _parse(definition)[1]
                detach(tree)
                self._store(definition, tree)
            self._trees[definition] = tree
        return tree

    def _path(self, definition: str) -> Path | None:
        return None if self.directory is None else self.directory / f"{cache_key(definition)}.pickle"

    def _load(self, definition: str):
        path = self._path(definition)
        if path is None or not path.is_file() or not _private_directory(self.directory):
            return None
        collecting = gc.isenabled()
        gc.disable()  # tens of thousands of new objects, none of them garbage: no collector passes
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # a torn or foreign file: parse again (and overwrite it)
            return None
        finally:
            if collecting:
                gc.enable()

    def _store(self, definition: str, tree) -> None:
        path = self._path(definition)
        if path is None:
            return
        with contextlib.suppress(OSError):
            self.directory.mkdir(parents=True, mode=0o700, exist_ok=True)
            if not _private_directory(self.directory):
                return
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".partial")
            try:
                with os.fdopen(fd, "wb") as f:
                    pickle.dump(tree, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
            finally:  # a full disk leaves no half-written tree
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
