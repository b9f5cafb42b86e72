"""Reference cross-border payment service (the vendor side: imports nothing from the harness)."""

__version__ = "1.0.0"
