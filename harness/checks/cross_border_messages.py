"""Cross-border payments: outbound ISO 20022 messages and personal financial information (JR/T 0171-2020).

The pacs.008 of every executed payment must validate against the official XSD of its declared version and
say what was asked; C3 data (PIN, CVV, track data) never shows in a response, a message or a log line; C2
identifiers (resident ID, phone) are masked in responses and outbound messages carry only needed fields.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from hypothesis import strategies as st
from pydantic import Field, ValidationInfo, field_validator

from harness.checks.common import Dec
from harness.checks.context import CheckContext, minimal
from harness.checks.cross_border_fx import (
    Currencies,
    last_day_not_before_first,
    oracle_last_day,
    pay_on,
    quote_days,
)
from harness.checks.registry import Params, check
from harness.contracts.cross_border import CrossBorderClient
from harness.money import quantum
from harness.oracles import namespace, validate_pacs008
from harness.strategies.cross_border import money, transfers, unique_id


class MessageParams(Params):
    currencies: Currencies = Field(min_length=1)
    first_day: date = Field(description="Payment dates are drawn from first_day up to and including the run's "
                            "as-of date; last_day (the end of the ECB data the profile relies on), the oracle's last "
                            "fixing and the days after them are boundaries drawn first")
    last_day: date
    max_amount: Dec = Field(Decimal("50000"), gt=0, le=Decimal("1000000000000"))
    max_total_digits: int = Field(18, ge=1, le=18, description="ISO 20022 amounts have at most 18 digits")
    max_fraction_digits: int = Field(5, ge=0, le=18)

    _days = field_validator("last_day")(last_day_not_before_first)

    @field_validator("max_fraction_digits")
    @classmethod
    def _within_total(cls, fraction: int, info: ValidationInfo) -> int:
        total = info.data.get("max_total_digits")
        if total is not None and fraction > total:
            raise ValueError(f"{fraction} fraction digits is more than max_total_digits {total}")
        return fraction


def transfer_strategy(ctx: CheckContext, p: MessageParams) -> st.SearchStrategy[dict[str, Any]]:
    """Complete transfers dated up to and including the run's as-of date (the clock moves: past the rate
    table a payment may be answered 422 no-rate-for-date, never a 5xx)."""
    days = quote_days(ctx, p.first_day, p.last_day, [*p.currencies, "USD"])

    @st.composite
    def draw(d: st.DrawFn) -> dict[str, Any]:
        currency = d(st.sampled_from(p.currencies))
        return d(transfers(currency, money(currency, quantum(currency), p.max_amount), d(days)))

    return draw()


def past_the_table(ctx: CheckContext, p: MessageParams) -> list[dict[str, Any]]:
    """Explicit examples, run first every time: a simplest transfer in each currency on the day after the ECB
    oracle's last fixing and on the run's as-of day (when those are within the drawn range)."""
    end = oracle_last_day([*p.currencies, "USD"])
    edges = ([end + timedelta(days=1)] if end else []) + [ctx.as_of]
    wanted = sorted({d for d in edges if p.first_day <= d <= ctx.as_of})
    return [{"request": minimal(transfers(c, money(c, quantum(c), quantum(c)), day))}
            for day in wanted for c in p.currencies]


def executed(ctx: CheckContext, client: CrossBorderClient, request: dict[str, Any]) -> dict[str, Any] | None:
    """Pay ``request`` (its payment_id made unique in place) and insist it is executed; None when, past the
    ECB oracle, the product answered the contract's 422 no-rate-for-date problem instead."""
    request["payment_id"] = unique_id(request)["payment_id"]
    payment = pay_on(ctx, client, request, date.fromisoformat(request["at"][:10]))
    if payment is None:
        return None
    if payment["status"] != "executed":
        ctx.fail(f"a complete, valid transfer was refused: {payment['reasons']}", payment=payment)
    return payment


def _same_amount(text: str, requested: str) -> bool:
    try:
        return Decimal(text) == Decimal(requested)
    except ArithmeticError:
        return False


def _text(root: ET.Element, path: str, ns: dict[str, str]) -> str | None:
    found = root.find(path, ns)
    return found.text if found is not None else None


@check("cross_border.iso20022", params=MessageParams)
def iso20022(ctx: CheckContext, p: MessageParams) -> None:
    """Each pacs.008 validates against the official XSD of its declared version; its amount fits 18 digits
    with at most 5 fraction digits; amount, currency, parties and agents equal the request."""
    client = ctx.client(CrossBorderClient)
    declared = client.info()["pacs008_version"]

    @ctx.given(request=transfer_strategy(ctx, p), explicit=past_the_table(ctx, p))
    def prop(request: dict[str, Any]) -> None:
        if executed(ctx, client, request) is None:
            return
        message = client.message(request["payment_id"])
        if message["version"] != declared:
            ctx.fail(f"message is {message['version']}, the product declares {declared}", pacs008=message)
        errors = validate_pacs008(message["xml"], declared)
        if errors:
            ctx.fail(f"pacs.008 breaks the official {declared} schema: {'; '.join(errors)}", pacs008=message)
        ns = {"p": namespace(declared)}
        tx = ET.fromstring(message["xml"]).find("p:FIToFICstmrCdtTrf/p:CdtTrfTxInf", ns)
        if tx is None:
            ctx.fail("pacs.008 has no credit transfer transaction", pacs008=message)
        amount = tx.find("p:IntrBkSttlmAmt", ns)
        text = (amount.text or "") if amount is not None else ""
        digits = text.replace(".", "").lstrip("0")
        if len(digits) > p.max_total_digits or len(text.partition(".")[2]) > p.max_fraction_digits:
            ctx.fail(f"amount {text} exceeds {p.max_total_digits} digits / {p.max_fraction_digits} fraction digits",
                     pacs008=message)
        o, b = request["originator"], request["beneficiary"]
        expected = {
            "IntrBkSttlmAmt": request["amount"], "IntrBkSttlmAmt/@Ccy": request["currency"],
            "Dbtr/Nm": o["name"], "DbtrAcct/Id/Othr/Id": o["account"],
            "Cdtr/Nm": b["name"], "CdtrAcct/Id/Othr/Id": b["account"], "CdtrAgt/FinInstnId/BICFI": b["agent_bic"],
        }
        found = {k: _text(tx, "/".join(f"p:{part}" for part in k.split("/")), ns)
                 for k in expected if not k.startswith("IntrBkSttlmAmt")}
        found["IntrBkSttlmAmt/@Ccy"] = amount.get("Ccy") if amount is not None else None
        found["IntrBkSttlmAmt"] = request["amount"] if _same_amount(text, request["amount"]) else text
        wrong = {k: {"requested": v, "message": found[k]} for k, v in expected.items() if found[k] != v}
        if wrong:
            ctx.fail(f"pacs.008 differs from the request in {sorted(wrong)}", differences=wrong, pacs008=message)

    prop()


class C3Params(MessageParams):
    log_required: bool = Field(False, description="Fail when the runner exposes no product log")


def _appears(value: str, text: str) -> bool:
    """``value`` occurs in ``text`` as a whole token: not inside a longer number, an amount or a time."""
    return re.search(rf"(?<![0-9.,:]){re.escape(value)}(?![0-9.,:]?[0-9])", text) is not None


@st.composite
def _cards(draw: st.DrawFn) -> dict[str, str]:
    pan = f"62{draw(st.integers(10**13, 10**14 - 1))}"
    cvv = str(draw(st.integers(3000, 9999)))
    return {"pan": pan, "cvv": cvv, "pin": str(draw(st.integers(300_000, 999_999))),
            "track2": f";{pan}=2912101{cvv}{draw(st.integers(10**5, 10**6 - 1))}?"}


def cards() -> st.SearchStrategy[dict[str, str]]:
    """Canary cards whose CVV and PIN are not part of the PAN: a product may show a masked PAN (its first six
    and last four digits), and a CVV equal to the last four would be "found" there (seed 30 of the
    guangzhou seed benchmark did exactly that)."""
    return _cards().filter(lambda c: c["cvv"] not in c["pan"] and c["pin"] not in c["pan"])


@check("cross_border.pfi_c3", params=C3Params)
def pfi_c3(ctx: CheckContext, p: C3Params) -> None:
    """Canary C3 values (CVV, PIN, track data) never appear in a response, an outbound message or the log."""
    client = ctx.client(CrossBorderClient)

    canaries = st.tuples(transfer_strategy(ctx, p), cards()).filter(lambda rc: not any(
        _appears(rc[1][k], json.dumps(rc[0])) for k in ("cvv", "pin")))

    @ctx.given(request_card=canaries)
    def prop(request_card: tuple[dict[str, Any], dict[str, str]]) -> None:
        request, card = request_card
        logged_before = len(ctx.control.logs())
        request = {**request, "card": card}
        payment = executed(ctx, client, request)
        if payment is None:  # the 422 no-rate problem: it must not carry C3 data either
            assert client.last is not None
            places = {"problem response": json.dumps(client.last.response, ensure_ascii=False),
                      "product log": ctx.control.logs()[logged_before:]}
        else:
            message = client.message(request["payment_id"])
            places = {"payment response": json.dumps(payment, ensure_ascii=False),
                      "message response": json.dumps(message, ensure_ascii=False),
                      "product log": ctx.control.logs()[logged_before:]}
        for kind in ("cvv", "pin", "track2"):
            for where, text in places.items():
                if _appears(card[kind], text):
                    ctx.fail(f"C3 data ({kind}) appears in the {where}",
                             **{where: _around(text, card[kind])})

    prop()


def _around(text: str, value: str, width: int = 160) -> str:
    i = text.find(value)
    return text[max(0, i - width):i + len(value) + width]


C2Field = Literal["phone", "card"]
"""Request fields the C2 check can look for in an outbound message."""
C2_FIELDS: tuple[C2Field, ...] = ("phone", "card")


class C2Params(MessageParams):
    outbound_forbidden: list[C2Field] = Field(default_factory=lambda: list(C2_FIELDS),
                                              description="Request fields no outbound message may carry")


@check("cross_border.pfi_c2", params=C2Params)
def pfi_c2(ctx: CheckContext, p: C2Params) -> None:
    """Resident ID and phone are masked in responses; outbound messages carry no field they do not need."""
    client = ctx.client(CrossBorderClient)

    @ctx.given(request=transfer_strategy(ctx, p), card=cards())
    def prop(request: dict[str, Any], card: dict[str, str]) -> None:
        request = {**request, "card": {"pan": card["pan"]}}
        payment = executed(ctx, client, request)
        if payment is None:
            return
        shown = json.dumps(payment, ensure_ascii=False)
        o = request["originator"]
        for key in ("national_id", "phone"):
            if o[key] in shown:
                ctx.fail(f"the payment response shows the originator's {key} unmasked", payment=payment)
        xml = client.message(request["payment_id"])["xml"]
        values = {"phone": [o["phone"]], "card": [card["pan"]]}
        for name in p.outbound_forbidden:
            leaked = [v for v in values.get(name, []) if v in xml]
            if leaked:
                ctx.fail(f"the outbound pacs.008 carries the {name}, which the payment does not need",
                         pacs008=_around(xml, leaked[0]))

    prop()
