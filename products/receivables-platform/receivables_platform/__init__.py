"""Reference receivables-finance platform on the chain-ledger (vendor code: no harness imports)."""

__version__ = "1.0.0"
