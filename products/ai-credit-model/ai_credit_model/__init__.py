"""Reference AI credit model (vendor code: it never imports the harness)."""

__version__ = "1.0.0"
