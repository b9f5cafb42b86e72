"""The token contract's compiled ABI and bytecode, committed next to ``token.vy`` as ``token.json``.

Compiling needs the Vyper compiler (``vyper==0.4.3``), which the running product does not: regenerate with
``python -m evm_token.compiled`` (from the product folder) after editing ``token.vy``; a self-test
recompiles and compares.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "token.vy"
ARTIFACT = HERE / "token.json"


def compile_source() -> dict[str, Any]:
    import vyper

    source = SOURCE.read_text(encoding="utf-8")
    out = vyper.compile_code(source, output_formats=["abi", "bytecode"])
    return {"compiler": f"vyper {vyper.__version__}", "source_sha256": hashlib.sha256(source.encode()).hexdigest(),
            "abi": out["abi"], "bytecode": out["bytecode"]}


def load() -> dict[str, Any]:
    artifact: dict[str, Any] = json.loads(ARTIFACT.read_text(encoding="utf-8"))
    return artifact


if __name__ == "__main__":
    ARTIFACT.write_text(json.dumps(compile_source(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {ARTIFACT}")
