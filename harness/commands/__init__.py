"""Subcommands of ``sandbox`` (one module each; see harness.cli)."""
