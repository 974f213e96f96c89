"""Subcommands of the ``mapapp`` CLI, one module each: ``add_arguments(parser)`` and ``run(args) -> int``."""
