"""The cross-border payment service: quotes, conversions, FX quota, payments, reports, screening."""

from __future__ import annotations

import itertools
import logging
import threading
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from xborder_payments import iso20022, validation
from xborder_payments.compliance import Holds, LargeValueReporting, QuotaLedger, travel_rule_gaps
from xborder_payments.currencies import fmt, to_minor
from xborder_payments.fx import FxDesk, RateTable
from xborder_payments.screening import Screener

log = logging.getLogger("xborder_payments")


@dataclass(frozen=True)
class Policy:
    spread: Decimal = Decimal("0.0025")
    quote_ttl_seconds: int = 30
    rounding: str = "half_up"
    annual_quota_usd: Decimal = Decimal("50000.00")
    report_cny: Decimal = Decimal("200000.00")
    report_usd: Decimal = Decimal("10000.00")
    travel_rule: dict[str, Decimal] = field(default_factory=lambda: {"USD": Decimal(1000), "EUR": Decimal(1000)})
    own_bic: str = "GZXBCNSHXXX"
    screening_threshold: float = 80.0


def mask(value: str, keep_start: int, keep_end: int) -> str:
    """JR/T 0171-2020 display masking: keep a few leading and trailing characters, star the rest."""
    hidden = max(len(value) - keep_start - keep_end, 1)
    return value[:keep_start] + "*" * hidden + value[len(value) - keep_end:] if len(value) > keep_start + keep_end \
        else "*" * len(value)


class XBorderService:
    """Each part is a class attribute so a variant (or a seeded defect) can swap one of them."""

    rates_class: type[RateTable] = RateTable
    desk_class: type[FxDesk] = FxDesk
    ledger_class: type[QuotaLedger] = QuotaLedger
    reporting_class: type[LargeValueReporting] = LargeValueReporting
    screener_class: type[Screener] = Screener
    screened_parties: tuple[str, ...] = ("originator", "beneficiary")
    """Whose names a payment is screened for: the customer and the counterparty (AML Law 2024 Art. 41)."""

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy or Policy()
        self.rates = self.rates_class()
        self.supported = set(self.rates.currencies)
        self.fx = self.desk_class(self.rates, self.policy.spread, self.policy.quote_ttl_seconds, self.policy.rounding)
        self.quota = self.ledger_class(self.policy.annual_quota_usd)
        self.reporting = self.reporting_class(self.policy.report_cny, self.policy.report_usd)
        self.screener = self.screener_class(self.policy.screening_threshold)
        self.holds = Holds()
        self.messages: dict[str, dict[str, str]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def info(self) -> dict[str, Any]:
        return {"currencies": sorted(self.supported), "rounding": self.policy.rounding,
                "quote_ttl_seconds": self.policy.quote_ttl_seconds, "spread": f"{self.policy.spread:f}",
                "pacs008_version": iso20022.VERSION}

    def usd_equivalent(self, amount: Decimal, currency: str, day: date) -> Decimal:
        return to_minor(amount * self.rates.mid(currency, "USD", day), "USD", "half_up")

    # -- FX -----------------------------------------------------------------------------------------
    def quote(self, body: Any) -> dict[str, Any]:
        req = validation.obj(body, "body", {"sell_currency", "buy_currency", "sell_amount", "at"})
        sell = validation.currency(req["sell_currency"], "sell_currency", self.supported)
        buy = validation.currency(req["buy_currency"], "buy_currency", self.supported)
        if sell == buy:
            raise validation.Invalid("buy_currency: must differ from sell_currency")
        amount = validation.money(req["sell_amount"], "sell_amount", sell)
        return self.fx.quote(sell, buy, amount, validation.timestamp(req["at"])).as_json(self.policy.spread)

    def convert(self, body: Any) -> dict[str, Any]:
        req = validation.obj(body, "body", {"quote_id", "at"})
        quote = self.fx.quotes.get(req["quote_id"]) if isinstance(req["quote_id"], str) else None
        if quote is None:
            raise validation.Invalid("quote_id: no such quote")
        reasons = self.fx.execute(quote, validation.timestamp(req["at"]))
        result: dict[str, Any] = {"quote_id": quote.quote_id, "status": "refused" if reasons else "executed",
                                  "reasons": reasons}
        if not reasons:
            result.update(sell_amount=fmt(quote.sell_amount, quote.sell_currency),
                          buy_amount=fmt(quote.buy_amount, quote.buy_currency), rate=f"{quote.rate:f}")
        return result

    # -- individual FX quota --------------------------------------------------------------------------
    def fx_purchase(self, body: Any) -> dict[str, Any]:
        req = validation.obj(body, "body", {"purchase_id", "person_id", "currency", "amount", "at"}, {"buyer_id"})
        for key in ("purchase_id", "person_id", *(["buyer_id"] if "buyer_id" in req else [])):
            validation.text(req[key], key, 64)
        currency = validation.currency(req["currency"], "currency", self.supported - {"CNY"})
        amount = validation.money(req["amount"], "amount", currency)
        at = validation.timestamp(req["at"])
        usd = self.usd_equivalent(amount, currency, at.date())
        reasons = self.quota.try_use(req["person_id"], at.date(), usd)
        return {"purchase_id": req["purchase_id"], "status": "refused" if reasons else "executed",
                "reasons": reasons, "usd_equivalent": fmt(usd, "USD")}

    def fx_usage(self, person_id: str, year: int) -> dict[str, Any]:
        used = self.quota.usage(person_id, year)
        return {"person_id": person_id, "year": year, "used_usd": fmt(used, "USD"),
                "quota_usd": fmt(self.quota.quota, "USD"), "remaining_usd": fmt(self.quota.quota - used, "USD")}

    # -- payments --------------------------------------------------------------------------------------
    def pay(self, body: Any) -> dict[str, Any]:
        req = validation.obj(body, "body", {"payment_id", "at", "amount", "currency", "originator", "beneficiary"},
                             {"purpose", "card"})
        validation.text(req["payment_id"], "payment_id", 35)
        at = validation.timestamp(req["at"])
        currency = validation.currency(req["currency"], "currency", self.supported)
        amount = validation.money(req["amount"], "amount", currency)
        originator = validation.party(req["originator"], "originator")
        beneficiary = validation.party(req["beneficiary"], "beneficiary")
        if "purpose" in req:
            validation.text(req["purpose"], "purpose")
        card = validation.card(req["card"]) if "card" in req else None
        hits = self.sanctions_hits({"originator": originator, "beneficiary": beneficiary})
        if hits:
            return self.held(req["payment_id"], at.date(), amount, currency, originator, beneficiary, hits)
        usd = self.usd_equivalent(amount, currency, at.date())
        reasons = self.refusals(amount, currency, usd, originator, beneficiary)
        self.log_payment(req["payment_id"], amount, currency, card, reasons)
        result = {"payment_id": req["payment_id"], "status": "refused" if reasons else "executed",
                  "reasons": reasons, "amount": fmt(amount, currency), "currency": currency,
                  "originator": self.masked(originator), "beneficiary": self.masked(beneficiary)}
        if reasons:
            return result
        with self._lock:
            message_id = f"GZXB{at:%Y%m%d}{next(self._ids):08d}"
        xml = iso20022.pacs008(req, fmt(amount, currency), message_id=message_id, created=at,
                               debtor_agent=self.policy.own_bic)
        self.messages[req["payment_id"]] = {"payment_id": req["payment_id"], "version": iso20022.VERSION, "xml": xml}
        person = originator.get("person_id") or originator["account"]
        report = self.reporting.record(person, at.date(), req["payment_id"], amount, currency, usd)
        if report is not None:
            log.info("large-value report %s filed for payment %s", report.report_id, req["payment_id"])
        return {**result, "message_id": message_id}

    def sanctions_hits(self, parties: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
        """(party, list entry) for every screened party whose name is on the loaded list."""
        hits = []
        for who in self.screened_parties:
            name = str(parties[who].get("name", ""))
            result = self.screener.screen(name) if name.strip() else {"hit": False}
            if result["hit"]:
                hits.append((who, str(result["entry_id"])))
        return hits

    def held(self, payment_id: str, day: date, amount: Decimal, currency: str, originator: dict[str, Any],
             beneficiary: dict[str, Any], hits: list[tuple[str, str]]) -> dict[str, Any]:
        """Not executed, no message, funds held, one sanctions report per listed party (AML Law 2024 Art. 40)."""
        for who, entry_id in hits:
            report = self.holds.hold(payment_id, day, who, entry_id, fmt(amount, currency), currency)
            log.warning("payment %s held: %s matches list entry %s (report %s)", payment_id, who, entry_id,
                        report.report_id)
        return {"payment_id": payment_id, "status": "held",
                "reasons": [f"sanctions_hit:{who}:{entry_id}" for who, entry_id in hits],
                "amount": fmt(amount, currency), "currency": currency,
                "originator": self.masked(originator), "beneficiary": self.masked(beneficiary)}

    def sanctions_reports(self, day: date) -> dict[str, Any]:
        return {"day": day.isoformat(), "reports": [
            {"report_id": r.report_id, "payment_id": r.payment_id, "day": r.day.isoformat(), "party": r.party,
             "entry_id": r.entry_id, "amount": r.amount, "currency": r.currency} for r in self.holds.filed(day)]}

    def refusals(self, amount: Decimal, currency: str, usd: Decimal, originator: dict[str, Any],
                 beneficiary: dict[str, Any]) -> list[str]:
        reasons = []
        if self.travel_rule_applies(amount, currency, usd):
            reasons += [f"travel_rule_missing:{gap}" for gap in travel_rule_gaps(originator, beneficiary)]
        if "agent_bic" not in beneficiary:
            reasons.append("beneficiary.agent_bic: required to route the payment")
        return reasons

    def travel_rule_applies(self, amount: Decimal, currency: str, usd: Decimal) -> bool:
        """At or above the threshold in its currency (USD, EUR), or its USD equivalent for other currencies."""
        limit = self.policy.travel_rule.get(currency)
        return amount >= limit if limit is not None else usd >= self.policy.travel_rule["USD"]

    def log_payment(self, payment_id: str, amount: Decimal, currency: str, card: dict[str, Any] | None,
                    reasons: list[str]) -> None:
        funding = f"card {mask(card['pan'], 6, 4)}" if card else "account"
        log.info("payment %s %s %s funded by %s: %s", payment_id, fmt(amount, currency), currency, funding,
                 "refused " + ", ".join(reasons) if reasons else "executed")

    @staticmethod
    def masked(party: dict[str, Any]) -> dict[str, Any]:
        shown = dict(party)
        if "national_id" in shown:
            shown["national_id"] = mask(shown["national_id"], 1, 1)
        if "phone" in shown:
            shown["phone"] = mask(shown["phone"], 3, 4)
        return shown

    def message(self, payment_id: str) -> dict[str, str] | None:
        return self.messages.get(payment_id)

    def reports(self, day: date) -> dict[str, Any]:
        return {"day": day.isoformat(), "reports": [
            {"report_id": r.report_id, "person_id": r.person_id, "day": r.day.isoformat(),
             "currency_class": r.currency_class, "currency": r.currency, "total": fmt(r.total, r.currency),
             "payments": r.payments} for r in self.reporting.filed(day)]}

    # -- screening ---------------------------------------------------------------------------------------
    def load_list(self, body: Any) -> dict[str, Any]:
        req = validation.obj(body, "body", {"list_id", "entries"})
        if not isinstance(req["entries"], list):
            raise validation.Invalid("entries: must be an array")
        entries = [validation.obj(e, f"entries[{i}]", {"entry_id", "name"}) for i, e in enumerate(req["entries"])]
        for i, e in enumerate(entries):
            validation.text(e["entry_id"], f"entries[{i}].entry_id")
            validation.text(e["name"], f"entries[{i}].name")
        list_id = validation.text(req["list_id"], "list_id")
        return {"list_id": list_id, "entries": self.screener.load(list_id, entries)}

    def screen(self, body: Any) -> dict[str, Any]:
        req = validation.obj(body, "body", {"name"})
        return self.screener.screen(validation.text(req["name"], "name"))
