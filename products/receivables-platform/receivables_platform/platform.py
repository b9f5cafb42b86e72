"""The receivables book: registration, debtor confirmation, financing and repayment.

Every state change happens under one lock in the order validate → anchor on the ledger (a ``record``
transaction holding the SHA-256 of the event) → journal (fsync) → apply, so a financing that was
answered survives a crash and can be proven against the chain. Subclasses (seeded defects in the
self-tests) override single steps.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from datetime import date
from pathlib import Path
from typing import Any

from chain_ledger.ledger import Ledger, Refused, fmt, parse_amount

from receivables_platform.deadlines import confirmation_due, request_day
from receivables_platform.invoices import invoice_key

CURRENCIES = ("CNY",)
_PARTY = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _text(body: dict[str, Any], name: str, limit: int = 64) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise Refused(422, "invalid", f"{name} must be a non-empty string of at most {limit} characters")
    return value


def _party(body: dict[str, Any], name: str) -> str:
    value = _text(body, name)
    if not _PARTY.fullmatch(value):
        raise Refused(422, "invalid", f"{name} {value!r} is not a party ID")
    return value


class Journal:
    """Append-only event journal, one JSON line per event, fsync'd before the platform answers."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.path = root / "events.jsonl"

    def append(self, event: dict[str, Any]) -> None:
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(event, sort_keys=True, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def read(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]


class Platform:
    def __init__(self, root: Path, ledger: Ledger) -> None:
        self.lock = threading.RLock()
        self.ledger = ledger
        self.journal = Journal(root)
        self.receivables: dict[str, dict[str, Any]] = {}
        self.financings: dict[str, dict[str, Any]] = {}
        self.by_invoice: dict[str, str] = {}
        self.live: dict[str, str] = {}  # receivable id → its live financing id
        for event in self.journal.read():
            self._apply(event)

    # -- operations --------------------------------------------------------------------------------
    def register(self, body: dict[str, Any]) -> dict[str, Any]:
        debtor, creditor = _party(body, "debtor"), _party(body, "creditor")
        number = _text(body, "invoice_number")
        if debtor == creditor:
            raise Refused(422, "invalid", "debtor and creditor must differ")
        if body.get("currency") not in CURRENCIES:
            raise Refused(422, "invalid", f"currency must be one of {', '.join(CURRENCIES)}")
        face = parse_amount(body.get("face_value"))
        due = _text(body, "due_date", 10)
        try:
            date.fromisoformat(due)
        except ValueError:
            raise Refused(422, "invalid", f"due_date {due!r} is not an ISO date") from None
        key = self.key_of(debtor, creditor, number)
        with self.lock:
            if key in self.by_invoice:
                raise Refused(409, "duplicate", f"invoice {number!r} is already registered as {self.by_invoice[key]}")
            rid = f"rcv-{len(self.receivables) + 1:08d}"
            self.commit({"type": "registered", "id": rid, "key": key, "debtor": debtor, "creditor": creditor,
                         "invoice_number": number, "face_units": face, "currency": body["currency"], "due_date": due})
            return self.view(rid)

    def confirm(self, rid: str, body: dict[str, Any]) -> dict[str, Any]:
        party = _party(body, "party")
        with self.lock:
            rec = self._receivable(rid)
            if party != rec["debtor"]:
                raise Refused(403, "wrong_party", "only the debtor can confirm a receivable")
            if not rec["confirmed"]:
                self.commit({"type": "confirmed", "id": rid, "party": party})
            return self.view(rid)

    def request_confirmation(self, rid: str, body: dict[str, Any]) -> dict[str, Any]:
        """The creditor asks the debtor to confirm; the deadline runs from the first request's day."""
        party = _party(body, "party")
        try:
            day = request_day(_text(body, "at"))
        except ValueError:
            raise Refused(422, "invalid", "at must be an ISO 8601 date-time with an offset") from None
        with self.lock:
            rec = self._receivable(rid)
            if party != rec["creditor"]:
                raise Refused(403, "wrong_party", "only the creditor can request the debtor's confirmation")
            if not rec["confirmed"] and rec.get("requested") is None:
                self.commit({"type": "confirmation_requested", "id": rid, "day": day.isoformat()})
            return self.view(rid)

    def overdue(self, day: date) -> dict[str, Any]:
        """Unconfirmed receivables whose due day is before ``day``: overdue as of that day."""
        with self.lock:
            late = [(rid, rec) for rid, rec in self.receivables.items() if not rec["confirmed"]
                    and rec.get("requested") is not None and self.due_of(rec) < day]
            return {"day": day.isoformat(), "overdue": [
                {"receivable_id": rid, "debtor": rec["debtor"], "creditor": rec["creditor"],
                 "requested": rec["requested"], "due": self.due_of(rec).isoformat()} for rid, rec in late]}

    def due_of(self, rec: dict[str, Any]) -> date:
        """The last day the debtor may confirm ``rec`` (Order 802 Art. 16(2))."""
        return confirmation_due(date.fromisoformat(rec["requested"]))

    def finance(self, body: dict[str, Any]) -> dict[str, Any]:
        financier = _party(body, "financier")
        rid = _text(body, "receivable_id", 128)
        amount = body.get("amount")
        with self.lock:
            rec = self._receivable(rid)
            units = self.check_amount(rec, amount)
            self.check_confirmed(rec)
            self.check_free(rec)
            fid = f"fin-{len(self.financings) + 1:08d}"
            self.commit({"type": "financed", "id": fid, "receivable_id": rid, "financier": financier, "units": units})
            return self.financing(fid)

    def repay(self, fid: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            fin = self._financing(fid)
            units = parse_amount(body.get("amount"))
            if fin["status"] != "live":
                raise Refused(409, "not_live", f"financing {fid} is {fin['status']}")
            if units != fin["units"]:
                raise Refused(422, "invalid", f"a repayment must settle the whole {fmt(fin['units'])}")
            self.commit({"type": "repaid", "id": fid})
            return self.financing(fid)

    # -- rules (one step each) -----------------------------------------------------------------------
    def key_of(self, debtor: str, creditor: str, number: str) -> str:
        """What makes two registrations the same invoice."""
        return invoice_key(debtor, creditor, number)

    def check_amount(self, rec: dict[str, Any], amount: Any) -> int:
        units = parse_amount(amount)
        if units > rec["face_units"]:
            raise Refused(422, "exceeds_face_value", f"{fmt(units)} exceeds the face value {fmt(rec['face_units'])}")
        return units

    def check_confirmed(self, rec: dict[str, Any]) -> None:
        if not rec["confirmed"]:
            raise Refused(409, "not_confirmed", "the debtor has not confirmed this receivable")

    def check_free(self, rec: dict[str, Any]) -> None:
        if rec["id"] in self.live:
            raise Refused(409, "already_financed",
                          f"receivable {rec['id']} backs live financing {self.live[rec['id']]}")

    def release(self, fin: dict[str, Any]) -> None:
        self.live.pop(fin["receivable_id"], None)

    # -- storage -------------------------------------------------------------------------------------
    def commit(self, event: dict[str, Any]) -> None:
        """Anchor the event on the ledger, journal it durably, then apply it."""
        anchored = {**event, "anchor_tx": self.ledger.record(hashlib.sha256(_canonical(event)).hexdigest())["tx_id"]}
        self.journal.append(anchored)
        self._apply(anchored)

    def _apply(self, event: dict[str, Any]) -> None:
        kind = event["type"]
        if kind == "registered":
            rec = {k: v for k, v in event.items() if k != "type"}
            self.receivables[event["id"]] = {**rec, "confirmed": False}
            self.by_invoice[event["key"]] = event["id"]
        elif kind == "confirmed":
            self.receivables[event["id"]]["confirmed"] = True
        elif kind == "confirmation_requested":
            self.receivables[event["id"]]["requested"] = event["day"]
        elif kind == "financed":
            fin = {k: v for k, v in event.items() if k != "type"}
            self.financings[event["id"]] = {**fin, "status": "live"}
            self.live[event["receivable_id"]] = event["id"]
        elif kind == "repaid":
            fin = self.financings[event["id"]]
            fin["status"] = "repaid"
            self.release(fin)

    # -- queries -------------------------------------------------------------------------------------
    def _receivable(self, rid: str) -> dict[str, Any]:
        if rid not in self.receivables:
            raise Refused(404, "not_found", f"no receivable {rid}")
        return self.receivables[rid]

    def _financing(self, fid: str) -> dict[str, Any]:
        if fid not in self.financings:
            raise Refused(404, "not_found", f"no financing {fid}")
        return self.financings[fid]

    def view(self, rid: str) -> dict[str, Any]:
        with self.lock:
            rec = self._receivable(rid)
            live = self.live.get(rid)
            financed = self.financings[live]["units"] if live else 0
            return {"id": rid, "debtor": rec["debtor"], "creditor": rec["creditor"],
                    "invoice_number": rec["invoice_number"], "face_value": fmt(rec["face_units"]),
                    "currency": rec["currency"], "due_date": rec["due_date"], "confirmed": rec["confirmed"],
                    "status": "financed" if live else "free", "financed": fmt(financed), "anchor_tx": rec["anchor_tx"],
                    "confirmation_requested": rec.get("requested"),
                    "confirmation_due": self.due_of(rec).isoformat() if rec.get("requested") else None}

    def financing(self, fid: str) -> dict[str, Any]:
        with self.lock:
            fin = self._financing(fid)
            return {"id": fid, "receivable_id": fin["receivable_id"], "financier": fin["financier"],
                    "amount": fmt(fin["units"]), "status": fin["status"], "anchor_tx": fin["anchor_tx"]}
