"""Not built yet: `mapapp forget`."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this subcommand's options."""


def run(args: argparse.Namespace) -> int:
    """Run the subcommand."""
    print("mapapp forget: not built yet", file=sys.stderr)
    return 2
