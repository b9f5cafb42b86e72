"""Ledger contract v1 on a real Ethereum implementation: a Vyper 0.4.3 token on eth-tester/py-evm via web3
(vendor code: no harness imports)."""

__version__ = "1.0.0"
