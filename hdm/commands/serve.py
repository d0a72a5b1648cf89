"""``hdm serve``: the local HTTP API (the deployed routes) and the executions console."""

import argparse
import ipaddress
import logging
import os
import secrets
import tempfile
from pathlib import Path

from hdm.commands import CliError
from hdm.paths import state_dir
from steps import log

TOKEN_FILE = "api-token"


def register(subparsers) -> None:
    serve = subparsers.add_parser("serve", help="serve the HTTP API and the executions console")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    serve.add_argument("--allow-remote", action="store_true",
                       help="allow a non-loopback --host (anyone who can reach it and has the token can call it)")
    serve.add_argument("--no-auth", action="store_true", help="no bearer token (loopback only)")
    serve.add_argument("--buckets", choices=("local", "s3"), default="local",
                       help="s3Bucket/s3Key name directories under the state dir (default) or real S3")
    serve.add_argument("--url-ttl", type=int, default=300, metavar="SECONDS",
                       help="lifetime of the signed URLs of GET /image (default 300)")
    serve.add_argument("--public-url", default=None, metavar="URL",
                       help="where clients reach this server, the start of GET /image's signed URLs "
                            "(default http://HOST:PORT; a request's Host header is never used)")
    serve.set_defaults(func=_serve)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def api_token(home: Path) -> tuple[str, bool]:
    """$HDM_API_TOKEN, else the token saved under the state dir, else a new one saved there (0600).

    Returns the token and whether it was just generated.
    """
    if os.environ.get("HDM_API_TOKEN"):
        return os.environ["HDM_API_TOKEN"], False
    path = home / TOKEN_FILE
    if path.is_file():
        return path.read_text().strip(), False
    home.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    return token, True


def _check_writable(home: Path) -> None:
    """A read-only or full state dir fails here, as one line (hdm.cli reports the OSError), not
    later as a traceback inside the server's start-up."""
    home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=home) as probe:
        probe.write(b"\0" * 4096)
        probe.flush()
        os.fsync(probe.fileno())


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from hdm.server.app import ServerConfig, create_app

    loopback = _is_loopback(args.host)
    if not loopback and not args.allow_remote:
        raise CliError(f"--host {args.host} is not a loopback address; add --allow-remote to serve it")
    if args.no_auth and not loopback:
        raise CliError("--no-auth is allowed only on a loopback address")
    if not 0 < args.port < 65536:
        raise CliError("--port must be between 1 and 65535")
    home = args.state_dir or state_dir()
    _check_writable(home)
    token, generated = (None, False) if args.no_auth else api_token(home)
    base = f"http://{args.host}:{args.port}"
    print(f"hdm: serving {base} (state {home})", flush=True)
    # The token itself is never printed: standard output ends up in service logs.
    if generated:
        print(f"hdm: generated an API token, saved in {home / TOKEN_FILE} (read it from there)", flush=True)
    elif token:
        print("hdm: bearer token from " + ("$HDM_API_TOKEN" if os.environ.get("HDM_API_TOKEN")
                                           else str(home / TOKEN_FILE)), flush=True)
    print(f"hdm: console {base}/" + ("#token=<the token>" if token else ""), flush=True)
    log.configure(logging.INFO)
    app = create_app(ServerConfig(home=home, token=token, buckets=args.buckets, url_ttl_seconds=args.url_ttl,
                                  public_url=(args.public_url or base).rstrip("/")))
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_config=None, lifespan="on")
