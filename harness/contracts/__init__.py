"""Language-neutral capability contracts (OpenAPI 3.1 documents next to this file) and thin typed
clients. Checks talk to products only through these clients."""

from harness.contracts.base import Contract, ContractClient, Exchange, load_contract

__all__ = ["Contract", "ContractClient", "Exchange", "load_contract"]
