"""Not built yet: `mapapp serve`."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add this subcommand's options."""


def run(args: argparse.Namespace) -> int:
    """Run the subcommand."""
    print("mapapp serve: not built yet", file=sys.stderr)
    return 2
