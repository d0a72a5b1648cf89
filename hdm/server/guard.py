"""The outermost layer: bearer-token authentication, PHI-free access logs, no leaked tracebacks.

Access logs name the method, a route (never a query string or an object key: file
names can hold patient names), the status and the time taken. An unexpected
exception becomes a 500 whose log line names only the exception class.
"""

import hmac
import json
import time

from starlette.routing import Match

from steps.log import get_logger

logger = get_logger("hdm.server")


class Guard:
    def __init__(self, app, token: str | None, public_paths: set[str], public_prefixes: tuple[str, ...]):
        self.app = app
        self.token = token
        self.public_paths = public_paths
        self.public_prefixes = public_prefixes

    def _route(self, scope) -> str:
        """The matching route's template: paths can carry object keys or other caller text."""
        for route in self.app.routes:
            if route.matches(scope)[0] != Match.NONE:
                return route.path
        return "(no route)"

    def _authorized(self, scope) -> bool:
        if self.token is None or scope["path"] in self.public_paths or scope["path"].startswith(self.public_prefixes):
            return True
        headers = dict(scope.get("headers") or [])
        scheme, _, credentials = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(credentials.strip().encode(), self.token.encode())

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), {"code": None}

        async def recording_send(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            if self._authorized(scope):
                await self.app(scope, receive, recording_send)
            else:
                await _json(recording_send, 401, {"message": "missing or wrong bearer token"},
                            [(b"www-authenticate", b'Bearer realm="hdm"')])
        except Exception as exc:
            logger.warning("request_failed", error=type(exc).__name__)
            if status["code"] is None:
                await _json(recording_send, 500, {"message": f"internal error ({type(exc).__name__})"})
        finally:
            logger.info("request", method=scope["method"], route=self._route(scope),
                        status=status["code"], ms=round((time.perf_counter() - started) * 1000, 1))


async def _json(send, status: int, body: dict, headers: list | None = None) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": payload})
