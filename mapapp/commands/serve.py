"""Serve the map app: `mapapp serve [--store URL] [--port N]` runs Streamlit on mapapp/app/main.py."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from mapapp.errors import StoreError
from mapapp.store import resolve_store_url

__all__ = ["APP", "add_arguments", "run", "streamlit_command"]

APP = Path(__file__).resolve().parents[1] / "app" / "main.py"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this subcommand's options."""
    parser.add_argument(
        "--store", default=None, help="event store URL (default: $MAPAPP_STORE, else the built-in default)"
    )
    parser.add_argument("--port", type=int, default=8501, help="port to listen on (default: %(default)s)")
    parser.add_argument("--host", default="localhost", help="address to listen on (default: %(default)s)")


def streamlit_command(store_url: str, *, port: int = 8501, host: str = "localhost") -> list[str]:
    """The command line that serves the app for ``store_url`` (static serving on, headless)."""
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", host,
        "--server.enableStaticServing", "true",
        "--browser.gatherUsageStats", "false",
        "--", "--store", store_url,
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
    print(f"serving {url} on http://{args.host}:{args.port}", file=sys.stderr)
    return subprocess.call(streamlit_command(url, port=args.port, host=args.host), env=dict(os.environ))
