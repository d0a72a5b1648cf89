"""Every moto internal the local runtime touches, with one lifecycle.

moto (pinned in pyproject.toml) runs statemachine/*.asl.json on one machine. To run
every job through it cheaply and as on AWS, the local runtime replaces some of its
internals; they are all in this package, and non-test code imports moto nowhere else:

- imports.py: moto.batch registered without its EC2 data (at import, for good);
- interpreter.py: cached parse trees (on disk too: trees.py), JSONPaths and clients; in-process Lambda tasks
  (lambdas.py); ends signalled, not polled; inline runs;
- batch.py: the DISTRIBUTED Map's local item reader and result writer, child
  executions' casing and polling, item events not kept;
- executions.py: the backend called directly; finished executions dropped.

``MotoSession`` installs them all when a LocalRuntime starts and removes them when
the last one stops (sessions nest; the patches are installed once). Each touch has a
guard test in tests/workflow/test_moto_hooks.py that names the moto version when the
internal has moved.
"""

import threading

from hdm.moto_hooks.imports import register_moto_batch_without_models

register_moto_batch_without_models()  # before any of moto's Step Functions modules imports it

import moto  # noqa: E402
from moto import mock_aws  # noqa: E402

from hdm.moto_hooks import batch, interpreter  # noqa: E402
from hdm.moto_hooks.executions import LocalStepFunctions  # noqa: E402
from hdm.moto_hooks.lambdas import LambdaRouter  # noqa: E402

MOTO_VERSION = moto.__version__
ACCOUNT_ID = "123456789012"
REGION = "us-east-1"


class _Installed:
    """The patches, installed while at least one session is active."""

    def __init__(self):
        self._lock = threading.Lock()
        self._sessions = 0
        self._patches = []
        self.router: LambdaRouter | None = None

    def acquire(self) -> None:
        with self._lock:
            if self._sessions == 0:
                self.router = LambdaRouter()
                self._patches = interpreter.patches(self.router) + batch.patches()
                installed = []
                try:
                    for patch in self._patches:
                        patch.install()
                        installed.append(patch)
                except BaseException:
                    for patch in reversed(installed):
                        patch.uninstall()
                    raise
            self._sessions += 1

    def release(self) -> None:
        with self._lock:
            self._sessions -= 1
            if self._sessions == 0:
                for patch in reversed(self._patches):
                    patch.uninstall()
                self._patches = []
                self.router = None
                interpreter.clear_caches()

    @property
    def active(self) -> bool:
        return self._sessions > 0


installed = _Installed()


class MotoSession:
    """moto's mock of the AWS APIs plus the hooks, for one LocalRuntime.

    ``passthrough_services`` are called for real (engines, S3); Step Functions is
    simulated, and Lambda tasks never leave the process. Parse trees are kept in
    ``cache_dir``.
    """

    def __init__(self, passthrough_services, cache_dir=None):
        self._cache_dir = cache_dir
        self._mock = mock_aws(config={
            "stepfunctions": {"execute_state_machine": True},
            "lambda": {"use_docker": False},
            "core": {"mock_credentials": False, "reset_boto3_session": False,
                     "passthrough": {"services": list(passthrough_services), "urls": []}},
        })
        self.step_functions = LocalStepFunctions(ACCOUNT_ID, REGION)
        self._started = False

    def start(self) -> None:
        if self._cache_dir is not None:
            interpreter.trees.directory = self._cache_dir
        installed.acquire()
        try:
            self._mock.start()
        except BaseException:
            installed.release()
            raise
        self.step_functions.listen()
        self._started = True

    def routed(self, function_name: str, handler):
        """Invocations of one Lambda function call ``handler`` while in this block.

        The hooks are the process's: every session running meanwhile routes it too.
        """
        if not self._started:
            raise RuntimeError("the session is not started")
        return installed.router.replaced(function_name, handler)

    def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        self.step_functions.stop_listening()
        try:
            self._mock.stop()
        finally:
            installed.release()
