"""Reference hash-chained ledger (vendor code: depends on the standard library and ``cryptography`` only)."""

__version__ = "1.0.0"
