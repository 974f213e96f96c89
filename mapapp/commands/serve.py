"""Serve the map app: `mapapp serve [--store URL] [--port N] [--read-only]` runs mapapp/app/main.py.

``--read-only`` serves a store that must exist, without uploads, and refuses every write
(for a shared store, connect as a role that may only SELECT: README, For a team). A store
URL with a password reaches Streamlit through ``$MAPAPP_STORE``, not its command line, so
``ps`` does not show it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from mapapp.errors import StoreError
from mapapp.store import ENV_VAR, redact, resolve_store_url

__all__ = ["APP", "add_arguments", "run", "streamlit_command"]

APP = Path(__file__).resolve().parents[1] / "app" / "main.py"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this subcommand's options."""
    parser.add_argument(
        "--store", default=None, help="event store URL: sqlite:///FILE or postgresql://user@host:port/db "
        "(default: $MAPAPP_STORE, else the built-in default)"
    )
    parser.add_argument("--port", type=int, default=8501, help="port to listen on (default: %(default)s)")
    parser.add_argument("--host", default="localhost", help="address to listen on (default: %(default)s)")
    parser.add_argument("--read-only", action="store_true",
                        help="no uploads; the store must exist and refuses every write")


def streamlit_command(
    store_url: str, *, port: int = 8501, host: str = "localhost", read_only: bool = False
) -> list[str]:
    """The command line that serves the app for ``store_url`` (static serving on, headless).

    A URL with a password is left off the command line: pass it in ``$MAPAPP_STORE``.
    """
    app_args = [] if redact(store_url) != store_url else ["--store", store_url]
    if read_only:
        app_args.append("--read-only")
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", host,
        "--server.enableStaticServing", "true",
        "--browser.gatherUsageStats", "false",
        "--", *app_args,
    ]  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Run Streamlit until interrupted; its exit status is ours."""
    if not 0 < args.port < 65536:
        print(f"mapapp serve: --port must be in 1..65535, got {args.port}", file=sys.stderr)
        return 2
    try:
        url = resolve_store_url(args.store)
    except StoreError as exc:
        print(f"mapapp serve: {exc}", file=sys.stderr)
        return 2
    from mapapp.app.assets import AssetError, ensure_assets

    try:
        ensure_assets()
    except AssetError as exc:  # the map still works online; say why it will not offline
        print(f"mapapp serve: warning: {exc}", file=sys.stderr)
    mode = " read-only" if args.read_only else ""
    print(f"serving {redact(url)}{mode} on http://{args.host}:{args.port}", file=sys.stderr)
    command = streamlit_command(url, port=args.port, host=args.host, read_only=args.read_only)
    return subprocess.call(command, env={**os.environ, ENV_VAR: url})
