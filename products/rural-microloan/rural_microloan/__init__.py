"""Reference rural micro-loan credit engine (the vendor side: imports nothing from the harness)."""

__version__ = "1.0.0"
