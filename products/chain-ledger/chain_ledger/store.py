"""Durable storage: one JSON file per sealed block, a journal of accepted-but-unsealed transactions.

Every write is fsync'd (file, then folder) before the product answers, so an accepted transaction
survives a crash. Block files are written to a temporary name and renamed into place.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class BlockStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.blocks_dir = root / "blocks"
        self.blocks_dir.mkdir(parents=True, exist_ok=True)
        self.journal = root / "pending.jsonl"

    def block_path(self, height: int) -> Path:
        return self.blocks_dir / f"{height:012d}.json"

    def write_block(self, block: dict[str, Any]) -> None:
        path = self.block_path(block["header"]["height"])
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(block, fh, sort_keys=True, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _fsync_dir(self.blocks_dir)

    def read_blocks(self) -> list[dict[str, Any]]:
        """Every stored block in height order, as it is on disk now."""
        blocks = []
        for path in sorted(self.blocks_dir.glob("*.json")):
            with open(path, encoding="utf-8") as fh:
                blocks.append(json.load(fh))
        return blocks

    def append_pending(self, tx: dict[str, Any]) -> None:
        with open(self.journal, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(tx, sort_keys=True, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def read_pending(self) -> list[dict[str, Any]]:
        if not self.journal.exists():
            return []
        lines = self.journal.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def clear_pending(self) -> None:
        with open(self.journal, "w", encoding="utf-8") as fh:
            fh.flush()
            os.fsync(fh.fileno())

    def write_accounts(self, accounts: dict[str, str]) -> None:
        """Account → public key (balances and nonces are derived from the chain on start)."""
        path = self.root / "accounts.json"
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(accounts, fh, sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def read_accounts(self) -> dict[str, str]:
        path = self.root / "accounts.json"
        if not path.exists():
            return {}
        data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        return data
