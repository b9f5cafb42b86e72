"""Seeded defect for GZ-XB-013: only USD purchases use the annual FX quota; purchases in EUR, HKD, JPY and the
other currencies are executed without counting (the quota is USD 50,000 *equivalent*)."""

from typing import Any

from xborder_payments import validation
from xborder_payments.api import XBorderApp
from xborder_payments.currencies import fmt
from xborder_payments.service import XBorderService


class Service(XBorderService):
    def fx_purchase(self, body: Any) -> dict[str, Any]:
        req = validation.obj(body, "body", {"purchase_id", "person_id", "currency", "amount", "at"}, {"buyer_id"})
        if req.get("currency") == "USD":
            return super().fx_purchase(body)
        # Defect: the quota ledger was written for USD; other currencies bypass it.
        currency = validation.currency(req["currency"], "currency", self.supported - {"CNY"})
        amount = validation.money(req["amount"], "amount", currency)
        at = validation.timestamp(req["at"])
        usd = self.usd_equivalent(amount, currency, at.date())
        return {"purchase_id": req["purchase_id"], "status": "executed", "reasons": [],
                "usd_equivalent": fmt(usd, "USD")}


def create_app() -> object:
    return XBorderApp(Service())
