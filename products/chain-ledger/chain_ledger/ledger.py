"""The ledger state machine: accounts, signed transfers with nonces, mint/burn, blocks, proofs, audit.

All state changes happen under one lock, in the order: validate → journal (fsync) → apply. Balances are
integers of minor units. Subclasses (seeded defects in the self-tests) override single steps.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from chain_ledger import crypto
from chain_ledger.store import BlockStore

DECIMALS = 2
# Decimal() also takes " 1.00\n", "+1.00" and "1_0.00", which the contract's Amount pattern does not
DIGITS = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?")
BLOCK_SIZE = 8


class Refused(Exception):
    """An operation the ledger refuses; nothing changed."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


def parse_amount(value: Any, *, allow_zero: bool = False) -> int:
    if not isinstance(value, str):
        raise Refused(422, "invalid", "amount must be a decimal string")
    try:
        if not DIGITS.fullmatch(value):
            raise InvalidOperation(value)
        amount = Decimal(value)
    except InvalidOperation:
        raise Refused(422, "invalid", f"amount {value!r} is not a decimal") from None
    if not amount.is_finite() or amount.as_tuple().exponent != -DECIMALS:
        raise Refused(422, "invalid", f"amount {value!r} must have exactly {DECIMALS} decimals")
    units = int(amount.scaleb(DECIMALS))
    if units < 0 or (units == 0 and not allow_zero):
        raise Refused(422, "invalid", "amount must be positive")
    return units


def fmt(units: int) -> str:
    return f"{Decimal(units).scaleb(-DECIMALS):.{DECIMALS}f}"


class Ledger:
    block_size = BLOCK_SIZE

    def __init__(self, data_dir: Path) -> None:
        self.lock = threading.RLock()
        self.store = BlockStore(data_dir)
        self.keys: dict[str, str] = self.store.read_accounts()
        self.balances: dict[str, int] = dict.fromkeys(self.keys, 0)
        self.nonces: dict[str, int] = dict.fromkeys(self.keys, 0)
        self.minted = self.burned = 0
        self.operator_seq = 0
        self.blocks: list[dict[str, Any]] = []
        self.pending: list[dict[str, Any]] = []
        self.where: dict[str, tuple[int | None, dict[str, Any]]] = {}
        self._recover()

    # -- start-up ----------------------------------------------------------------------------------
    def _recover(self) -> None:
        for block in self.store.read_blocks():
            self.blocks.append(block)
            for tx in block["transactions"]:
                self._apply(tx)
                self.where[tx["id"]] = (block["header"]["height"], tx)
        for tx in self.store.read_pending():
            self._apply(tx)
            self.pending.append(tx)
            self.where[tx["id"]] = (None, tx)
        if not self.blocks:
            self._seal_block([])

    # -- operations --------------------------------------------------------------------------------
    def create_account(self, public_key: Any) -> dict[str, Any]:
        if not isinstance(public_key, str) or len(public_key) != 64:
            raise Refused(422, "invalid", "public_key must be 32 bytes of Ed25519 key in hex")
        try:
            raw = bytes.fromhex(public_key)
        except ValueError:
            raise Refused(422, "invalid", "public_key is not hex") from None
        account = hashlib.sha256(raw).hexdigest()[:40]
        with self.lock:
            if account in self.keys:
                raise Refused(409, "duplicate", "an account with this public key exists")
            self.keys[account] = public_key
            self.store.write_accounts(self.keys)
            self.balances[account] = 0
            self.nonces[account] = 0
            return self.account(account)

    def account(self, account: str) -> dict[str, Any]:
        if account not in self.keys:
            raise Refused(404, "unknown_account", f"no account {account}")
        return {"account": account, "public_key": self.keys[account], "balance": fmt(self.balances[account]),
                "nonce": self.nonces[account]}

    def mint(self, to: Any, amount: Any) -> dict[str, Any]:
        units = parse_amount(amount)
        with self.lock:
            self._known(to)
            return self._accept(self._tx("mint", None, to, fmt(units), self.operator_seq, None))

    def burn(self, sender: Any, amount: Any) -> dict[str, Any]:
        units = parse_amount(amount)
        with self.lock:
            self._known(sender)
            if self.balances[sender] < units:
                raise Refused(409, "insufficient_funds", f"balance {fmt(self.balances[sender])} < {fmt(units)}")
            return self._accept(self._tx("burn", sender, None, fmt(units), self.operator_seq, None))

    def record(self, data_hash: str) -> dict[str, Any]:
        """Anchor a SHA-256 hash of an off-ledger record (used by platforms built on the ledger)."""
        with self.lock:
            return self._accept(self._tx("record", None, None, fmt(0), self.operator_seq, None, data_hash))

    def transfer(self, body: dict[str, Any]) -> dict[str, Any]:
        sender, to, nonce, sig = body.get("from"), body.get("to"), body.get("nonce"), body.get("signature")
        units = parse_amount(body.get("amount"))
        if not isinstance(nonce, int) or isinstance(nonce, bool) or nonce < 0:
            raise Refused(422, "invalid", "nonce must be a non-negative integer")
        if not isinstance(sig, str) or sender == to:
            raise Refused(422, "invalid", "signature must be hex and from must differ from to")
        with self.lock:
            self._known(sender)
            self._known(to)
            payload = crypto.transfer_payload(sender, to, fmt(units), nonce)
            if not crypto.signature_ok(self.keys[sender], sig, payload):
                raise Refused(401, "bad_signature", "the signature does not verify with the sender's key")
            self.check_nonce(sender, nonce)
            self.check_funds(sender, units)
            return self._accept(self._tx("transfer", sender, to, fmt(units), nonce, sig))

    def check_nonce(self, sender: str, nonce: int) -> None:
        if nonce != self.nonces[sender]:
            raise Refused(409, "bad_nonce", f"nonce {nonce} is not the account's next nonce {self.nonces[sender]}")

    def check_funds(self, sender: str, units: int) -> None:
        if self.balances[sender] < units:
            raise Refused(409, "insufficient_funds", f"balance {fmt(self.balances[sender])} < {fmt(units)}")

    # -- internals ---------------------------------------------------------------------------------
    def _known(self, account: Any) -> None:
        if not isinstance(account, str) or account not in self.keys:
            raise Refused(404, "unknown_account", f"no account {account!r}")

    @staticmethod
    def _tx(kind: str, sender: str | None, to: str | None, amount: str, nonce: int | None, sig: str | None,
            data: str | None = None) -> dict[str, Any]:
        body = {"kind": kind, "from": sender, "to": to, "amount": amount, "nonce": nonce, "signature": sig,
                "data": data}
        return {"id": crypto.tx_id(body), **body}

    def is_duplicate(self, tx: dict[str, Any]) -> bool:
        return tx["id"] in self.where

    def _accept(self, tx: dict[str, Any]) -> dict[str, Any]:
        if self.is_duplicate(tx):
            raise Refused(409, "duplicate", "this transaction is already on the ledger")
        self.store.append_pending(tx)
        self._apply(tx)
        self.pending.append(tx)
        self.where[tx["id"]] = (None, tx)
        if len(self.pending) >= self.block_size:
            self.seal()
        height = self.where[tx["id"]][0]
        return {"tx_id": tx["id"], "status": "pending" if height is None else "committed", "block_height": height}

    def _apply(self, tx: dict[str, Any]) -> None:
        units = int(Decimal(tx["amount"]).scaleb(DECIMALS))
        if tx["kind"] == "mint":
            self.minted += units
        elif tx["kind"] == "burn":
            self.burned += units
        if tx["from"] is not None:
            self.balances[tx["from"]] -= units
        if tx["to"] is not None:
            self.balances[tx["to"]] += units
        if tx["kind"] == "transfer":
            self.nonces[tx["from"]] += 1
        else:
            self.operator_seq += 1

    def seal(self) -> dict[str, Any]:
        with self.lock:
            if self.pending:
                self._seal_block(self.pending)
                self.pending = []
                self.store.clear_pending()
            return self.head()

    def merkle_root(self, txs: list[dict[str, Any]]) -> str:
        return crypto.merkle_root(txs)

    def _seal_block(self, txs: list[dict[str, Any]]) -> None:
        height = len(self.blocks)
        header = {"height": height, "previous_hash": self.blocks[-1]["hash"] if self.blocks else crypto.ZERO_HASH,
                  "merkle_root": self.merkle_root(txs), "timestamp": int(time.time())}
        block = {"hash": crypto.header_hash(header), "header": header, "transactions": list(txs)}
        self.store.write_block(block)
        self.blocks.append(block)
        for tx in txs:
            self.where[tx["id"]] = (height, tx)

    # -- queries -----------------------------------------------------------------------------------
    def head(self) -> dict[str, Any]:
        top = self.blocks[-1]
        return {"height": top["header"]["height"], "hash": top["hash"], "pending": len(self.pending)}

    def block(self, height: int) -> dict[str, Any]:
        if not 0 <= height < len(self.blocks):
            raise Refused(404, "not_found", f"no block at height {height}")
        return self.blocks[height]

    def transaction(self, tx_id: str) -> dict[str, Any]:
        if tx_id not in self.where:
            raise Refused(404, "not_found", f"no transaction {tx_id}")
        height, tx = self.where[tx_id]
        return {"transaction": tx, "status": "pending" if height is None else "committed", "block_height": height}

    def proof(self, tx_id: str) -> dict[str, Any]:
        with self.lock:
            if tx_id not in self.where:
                raise Refused(404, "not_found", f"no transaction {tx_id}")
            height, _ = self.where[tx_id]
            if height is None:
                raise Refused(409, "not_found", "the transaction is pending; seal first")
            block = self.blocks[height]
            leaves = [crypto.leaf(t) for t in block["transactions"]]
            index = next(i for i, t in enumerate(block["transactions"]) if t["id"] == tx_id)
            path = [p.hex() for p in crypto.audit_path(index, leaves)]
            return {"tx_id": tx_id, "block_height": height, "leaf_index": index, "tree_size": len(leaves),
                    "path": path, "merkle_root": block["header"]["merkle_root"]}

    def supply(self) -> dict[str, Any]:
        return {"total_supply": fmt(self.minted - self.burned), "minted": fmt(self.minted), "burned": fmt(self.burned)}

    def accounts(self) -> list[dict[str, Any]]:
        with self.lock:
            return [self.account(a) for a in self.keys]

    def audit(self) -> dict[str, Any]:
        """Re-read the stored chain from disk and re-verify every hash, link and Merkle root."""
        problems: list[dict[str, Any]] = []
        previous = crypto.ZERO_HASH
        for position, block in enumerate(self.stored_blocks()):
            header = block["header"]
            if header["height"] != position:
                problems.append({"height": position, "problem": "height out of sequence"})
            if header["previous_hash"] != previous:
                problems.append({"height": position, "problem": "previous_hash does not link"})
            if crypto.header_hash(header) != block["hash"]:
                problems.append({"height": position, "problem": "block hash does not match its header"})
            if crypto.merkle_root(block["transactions"]) != header["merkle_root"]:
                problems.append({"height": position, "problem": "merkle root does not match the transactions"})
            for tx in block["transactions"]:
                if crypto.tx_id(crypto.body_of(tx)) != tx["id"]:
                    problems.append({"height": position, "problem": f"transaction {tx['id']} was altered"})
            previous = block["hash"]
        return {"ok": not problems, "problems": problems}

    def stored_blocks(self) -> list[dict[str, Any]]:
        return self.store.read_blocks()
