"""A real ``hdm serve`` subprocess on a free loopback port, called over HTTP (a helper module:
test modules import it, not conftest)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

TOKEN = "test-token-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, home: Path, *args: str, token: str | None = TOKEN):
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = token
        self.stdout_path, self.stderr_path = home / "server.stdout", home / "server.stderr"
        env = {k: v for k, v in os.environ.items() if k != "HDM_API_TOKEN"}
        if token:
            env["HDM_API_TOKEN"] = token
        home.mkdir(parents=True, exist_ok=True)
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "hdm.cli", "--state-dir", str(home / "state"), "serve",
                 "--port", str(self.port), *args], stdout=out, stderr=err, env=env)
        self._wait_ready()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = httpx.Client(base_url=self.url, headers=headers, timeout=120)

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.stderr_path.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/openapi.json", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def logs(self) -> str:
        return self.stdout_path.read_text() + self.stderr_path.read_text()

    def stop(self) -> int:
        self.client.close()
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise

    def wait_for_execution(self, name: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            response = self.client.get(f"/executions/{name}")
            assert response.status_code == 200, (response.status_code, response.text)
            described = response.json()
            if described["status"] != "RUNNING":
                return described
            time.sleep(0.05)
        raise TimeoutError(name)
