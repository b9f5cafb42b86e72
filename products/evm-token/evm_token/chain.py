"""The ledger contract's operations on an Ethereum chain (eth-tester, py-evm backend) through web3.

The operator's account relays every transaction (it pays the gas); the token contract verifies the
account owner's secp256k1 signature itself with ``ecrecover``. Where Ethereum differs from the ledger
contract's canonical formats this adapter says so (``NOTES``) instead of imitating them:

* transaction ids are Ethereum transaction hashes (keccak-256), not SHA-256 of the canonical body;
* block hashes are keccak-256 of the RLP header and ``merkle_root`` is the block's transactions-trie
  root (a Merkle-Patricia trie over Ethereum transactions), so there are no RFC 6962 inclusion proofs;
* eth-tester mines every accepted transaction into its own block at once (no pending transactions);
* eth-tester keeps the chain in memory: it does not survive a restart, and there is no stored block on
  disk to tamper with.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import rlp
from chain_ledger.ledger import Refused, fmt, parse_amount
from eth.db.trie import make_trie_root_and_nodes
from eth_tester import EthereumTester, PyEVMBackend
from eth_tester.exceptions import TransactionFailed
from eth_utils import keccak, to_checksum_address
from web3 import Web3
from web3.exceptions import ContractLogicError
from web3.providers.eth_tester import EthereumTesterProvider

from evm_token import compiled

NOTES = ("Ethereum (eth-tester/py-evm) with a Vyper 0.4.3 token: transfers are relayed meta-transactions whose "
         "secp256k1 signature the contract checks with ecrecover; tx ids are Ethereum transaction hashes; blocks "
         "are keccak-256/RLP with a transactions-trie root (no RFC 6962 proofs); every transaction is mined at once; "
         "the eth-tester chain lives in memory and does not survive a restart.")
GAS_LIMIT = 1_000_000
CODES = {"bad_signature": 401, "bad_nonce": 409, "insufficient_funds": 409, "invalid": 422, "wrong_party": 403}


def _hex(value: bytes) -> str:
    return bytes(value).hex()


class EvmLedger:
    """Same operations as the reference ``chain_ledger.ledger.Ledger``, answered from the chain."""

    def __init__(self, data_dir: Path) -> None:
        self.lock = threading.RLock()
        self.root = data_dir
        self.root.mkdir(parents=True, exist_ok=True)
        self.tester = EthereumTester(PyEVMBackend())
        self.w3 = Web3(EthereumTesterProvider(self.tester))
        self.operator = self.w3.eth.accounts[0]
        artifact = compiled.load()
        factory = self.w3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
        receipt = self.w3.eth.wait_for_transaction_receipt(factory.constructor().transact({"from": self.operator}))
        self.token = self.w3.eth.contract(address=receipt["contractAddress"], abi=artifact["abi"])
        self.keys: dict[str, str] = {}
        self.txs: dict[str, tuple[int, dict[str, Any]]] = {}  # Ethereum tx hash → (block number, ledger tx)

    # -- accounts ------------------------------------------------------------------------------------
    def create_account(self, public_key: Any) -> dict[str, Any]:
        if not isinstance(public_key, str) or len(public_key) != 128:
            raise Refused(422, "invalid", "public_key must be the 64-byte uncompressed secp256k1 key X||Y in hex")
        try:
            raw = bytes.fromhex(public_key)
        except ValueError:
            raise Refused(422, "invalid", "public_key is not hex") from None
        account = keccak(raw)[12:].hex()  # the Ethereum address of the key
        with self.lock:
            if account in self.keys:
                raise Refused(409, "duplicate", "an account with this public key exists")
            self.keys[account] = public_key
            (self.root / "accounts.json").write_text(json.dumps(self.keys, sort_keys=True), encoding="utf-8")
            return self.account(account)

    def _address(self, account: Any) -> str:
        if not isinstance(account, str) or account not in self.keys:
            raise Refused(404, "unknown_account", f"no account {account!r}")
        return str(to_checksum_address("0x" + account))

    def account(self, account: str) -> dict[str, Any]:
        with self.lock:
            address = self._address(account)
            balance = self.token.functions.balanceOf(address).call()
            nonce = self.token.functions.nonces(address).call()
        return {"account": account, "public_key": self.keys[account], "balance": fmt(balance), "nonce": nonce}

    def accounts(self) -> list[dict[str, Any]]:
        with self.lock:
            return [self.account(a) for a in self.keys]

    # -- transactions --------------------------------------------------------------------------------
    def _send(self, call: Any, body: dict[str, Any]) -> dict[str, Any]:
        """Relay one contract call from the operator; a revert is a refusal that changed nothing.

        The call is first executed once (``eth_call``) to learn a revert reason, then sent with a fixed gas
        limit (web3's gas estimate re-executes it a dozen times)."""
        try:
            call.call({"from": self.operator})
        except (ContractLogicError, TransactionFailed) as exc:
            reason = str(getattr(exc, "message", None) or exc).split("execution reverted: ")[-1].split(":")[0].strip()
            raise Refused(CODES.get(reason, 422), reason if reason in CODES else "invalid", str(exc)) from None
        tx_hash = call.transact({"from": self.operator, "gas": GAS_LIMIT})
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash)
        if receipt["status"] != 1:
            raise Refused(422, "invalid", f"transaction {tx_hash.hex()} reverted")
        tx_id = _hex(tx_hash)
        if body["nonce"] is None:  # operator transactions carry the relayer's Ethereum nonce
            body["nonce"] = self.w3.eth.get_transaction(tx_hash)["nonce"]
        self.txs[tx_id] = (receipt["blockNumber"], {"id": tx_id, **body})
        return {"tx_id": tx_id, "status": "committed", "block_height": receipt["blockNumber"]}

    def mint(self, to: Any, amount: Any) -> dict[str, Any]:
        units = parse_amount(amount)
        with self.lock:
            call = self.token.functions.mint(self._address(to), units)
            return self._send(call, _body("mint", None, to, fmt(units), None, None))

    def burn(self, sender: Any, amount: Any) -> dict[str, Any]:
        units = parse_amount(amount)
        with self.lock:
            call = self.token.functions.burn(self._address(sender), units)
            return self._send(call, _body("burn", sender, None, fmt(units), None, None))

    def transfer(self, body: dict[str, Any]) -> dict[str, Any]:
        sender, to, nonce, sig = body.get("from"), body.get("to"), body.get("nonce"), body.get("signature")
        units = parse_amount(body.get("amount"))
        if not isinstance(nonce, int) or isinstance(nonce, bool) or nonce < 0:
            raise Refused(422, "invalid", "nonce must be a non-negative integer")
        if not isinstance(sig, str) or sender == to:
            raise Refused(422, "invalid", "signature must be a hex string and from must differ from to")
        try:
            raw = bytes.fromhex(sig)
        except ValueError:
            raw = b""
        if len(raw) != 64:
            raise Refused(401, "bad_signature", "signature must be 64 bytes r||s in hex")
        r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
        with self.lock:
            call = self.token.functions.transfer(self._address(sender), self._address(to), units, nonce, r, s)
            return self._send(call, _body("transfer", sender, to, fmt(units), nonce, sig))

    def record(self, data_hash: str) -> dict[str, Any]:
        raise Refused(422, "unsupported", "this token ledger anchors no records")

    def seal(self) -> dict[str, Any]:
        return self.head()  # every accepted transaction was mined into its own block already

    # -- queries -------------------------------------------------------------------------------------
    def head(self) -> dict[str, Any]:
        with self.lock:
            block = self.w3.eth.get_block("latest")
        return {"height": block["number"], "hash": _hex(block["hash"]), "pending": 0}

    def block(self, height: int) -> dict[str, Any]:
        with self.lock:
            if height > self.w3.eth.block_number:
                raise Refused(404, "not_found", f"no block at height {height}")
            block = self.w3.eth.get_block(height)
        header = {"height": block["number"], "previous_hash": _hex(block["parentHash"]),
                  "merkle_root": _hex(block["transactionsRoot"]), "timestamp": block["timestamp"]}
        txs = [self.txs[_hex(h)][1] for h in block["transactions"] if _hex(h) in self.txs]
        return {"hash": _hex(block["hash"]), "header": header, "transactions": txs}

    def transaction(self, tx_id: str) -> dict[str, Any]:
        if tx_id not in self.txs:
            raise Refused(404, "not_found", f"no transaction {tx_id}")
        with self.lock:
            receipt = self.w3.eth.get_transaction_receipt("0x" + tx_id)  # the chain, not our index, says where
        return {"transaction": self.txs[tx_id][1], "status": "committed", "block_height": receipt["blockNumber"]}

    def proof(self, tx_id: str) -> dict[str, Any]:
        raise Refused(422, "unsupported", "proof_format none: Ethereum has no RFC 6962 inclusion proofs")

    def supply(self) -> dict[str, Any]:
        with self.lock:
            f = self.token.functions
            return {"total_supply": fmt(f.totalSupply().call()), "minted": fmt(f.minted().call()),
                    "burned": fmt(f.burned().call())}

    def audit(self) -> dict[str, Any]:
        """Recompute every block's keccak/RLP hash, parent link and transactions-trie root from py-evm."""
        problems: list[dict[str, Any]] = []
        with self.lock:
            chain = self.tester.backend.chain
            previous = b"\x00" * 32
            for height in range(chain.get_canonical_head().block_number + 1):
                block = chain.get_canonical_block_by_number(height)
                header = block.header
                if keccak(rlp.encode(header)) != header.hash:
                    problems.append({"height": height, "problem": "block hash is not keccak-256 of its RLP header"})
                if header.parent_hash != previous:
                    problems.append({"height": height, "problem": "parent hash does not link"})
                if make_trie_root_and_nodes(block.transactions)[0] != header.transaction_root:
                    problems.append({"height": height, "problem": "transactions root does not match"})
                previous = header.hash
        return {"ok": not problems, "problems": problems}


def _body(kind: str, sender: Any, to: Any, amount: str, nonce: int | None, sig: str | None) -> dict[str, Any]:
    return {"kind": kind, "from": sender, "to": to, "amount": amount, "nonce": nonce, "signature": sig,
            "data": None}
