"""Receivables (supply-chain) finance checks: no double financing, face-value cap, debtor confirmation,
release on repayment.

The stateful checks drive a Hypothesis ``RuleBasedStateMachine`` holding what the platform must hold
(which registrations belong to one invoice, which are confirmed, which financing is live) against the
platform; a failing run is shrunk to the shortest sequence of operations. Re-registrations use cosmetic
variants of the invoice number that the harness generates (case, spacing, dashes, full-width forms).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from pydantic import Field

from harness.checks.common import Dec
from harness.checks.context import CheckContext
from harness.checks.registry import Params, check
from harness.contracts.receivables import ReceivablesClient
from harness.errors import CertificationFailure
from harness.money import minor_units
from harness.strategies import ids
from harness.strategies.receivables import (
    cosmetic_variant,
    due_dates,
    face_units,
    invoice_numbers,
    party_ids,
    receivable_body,
    str_to_units,
    units_to_str,
    variant_kinds,
)

WHICH = st.integers(0, 7)


def fresh_party(prefix: str) -> str:
    """A party ID no other example used (every generated invoice gets its own supplier)."""
    return f"{prefix}{ids.fresh():014d}"


@dataclass
class Invoice:
    """One invoice as the model knows it: every registration of it, and its live financing."""

    body: dict[str, Any]
    face: int
    ids: list[str]
    confirmed: set[str] = field(default_factory=set)
    live: tuple[str, str, int] | None = None  # (financing id, receivable id, units)
    repaid: int = 0
    closed: list[tuple[str, int]] = field(default_factory=list)  # repaid financings: (id, units)

    @property
    def debtor(self) -> str:
        return str(self.body["debtor"])


class Book:
    """The receivables client, the currency the platform declares, and a financier of our own."""

    def __init__(self, ctx: CheckContext) -> None:
        self.client = ctx.client(ReceivablesClient)
        self.currency = self.client.info()["currencies"][0]
        self.decimals = minor_units(self.currency)
        self.financier = fresh_party("9133")

    def amount(self, units: int) -> str:
        return units_to_str(units, self.decimals)

    def units(self, amount: str) -> int:
        return str_to_units(amount, self.decimals)

    def open(self, debtor: str, number: str, face: int, due: date, *, confirm: bool) -> Invoice:
        body = receivable_body(debtor, fresh_party("9144"), number, self.amount(face), self.currency, due)
        inv = Invoice(body, face, [self.client.register_ok(body)["id"]])
        if confirm:
            self.client.confirm_ok(inv.ids[0], debtor)
            inv.confirmed.add(inv.ids[0])
        return inv

    def register_variant(self, inv: Invoice, kind: str, position: int) -> str | None:
        """Register the same invoice again under a cosmetic variant of its number; None if refused."""
        body = {**inv.body, "invoice_number": cosmetic_variant(inv.body["invoice_number"], kind, position)}
        status, answer = self.client.register(body)
        if status >= 300:
            return None
        inv.ids.append(answer["id"])
        if self.client.confirm(answer["id"], inv.debtor)[0] < 300:
            inv.confirmed.add(answer["id"])
        return str(answer["id"])


class ReceivablesModel(RuleBasedStateMachine):
    """Registrations, confirmations, financings and repayments; the platform must agree with the model."""

    book: Book
    ctx: CheckContext
    max_invoices = 3

    def __init__(self) -> None:
        super().__init__()
        self.invoices: list[Invoice] = []

    def fail(self, message: str, **evidence: Any) -> None:
        raise CertificationFailure(message, evidence=evidence)

    def pick(self, which: int) -> Invoice:
        return self.invoices[which % len(self.invoices)]

    @initialize(debtor=party_ids(), number=invoice_numbers(), face=face_units(), due=due_dates())
    def first_invoice(self, debtor: str, number: str, face: int, due: date) -> None:
        self.invoices.append(self.book.open(debtor, number, face, due, confirm=False))

    @precondition(lambda self: len(self.invoices) < self.max_invoices)
    @rule(debtor=party_ids(), number=invoice_numbers(), face=face_units(), due=due_dates())
    def register(self, debtor: str, number: str, face: int, due: date) -> None:
        self.invoices.append(self.book.open(debtor, number, face, due, confirm=False))

    @rule(which=WHICH)
    def confirm(self, which: int) -> None:
        inv = self.pick(which)
        self.book.client.confirm_ok(inv.ids[0], inv.debtor)
        inv.confirmed.add(inv.ids[0])

    @rule(which=WHICH, registration=st.integers(0, 3), share=st.integers(1, 100))
    def finance(self, which: int, registration: int, share: int) -> None:
        inv = self.pick(which)
        self.try_finance(inv, inv.ids[registration % len(inv.ids)], max(1, inv.face * share // 100))

    def try_finance(self, inv: Invoice, rid: str, units: int) -> None:
        book = self.book
        status, answer = book.client.finance(rid, book.financier, book.amount(units))
        if inv.live is not None:
            if status < 300:
                self.fail(f"invoice {inv.body['invoice_number']!r} was financed twice: {rid} was financed for "
                          f"{book.amount(units)} while financing {inv.live[0]} of registration {inv.live[1]} is "
                          "live", receivable=inv.body, registrations=inv.ids, answer=answer)
            return
        if rid not in inv.confirmed:
            if status < 300:
                self.fail(f"receivable {rid} was financed without its debtor's confirmation", answer=answer)
            return
        if status >= 300:
            if rid != inv.ids[0]:
                return  # a platform may refuse to finance a re-registration of an invoice
            if inv.repaid:
                self.fail(f"receivable {rid} is still blocked after its financing was repaid: a valid financing of "
                          f"{book.amount(units)} was refused ({status} {answer.get('code')})", answer=answer)
            self.fail(f"a valid financing of {book.amount(units)} against confirmed receivable {rid} (face "
                      f"{book.amount(inv.face)}) was refused ({status} {answer.get('code')})", answer=answer)
        inv.live = (answer["id"], rid, units)

    @rule(which=WHICH)
    def repay(self, which: int) -> None:
        inv = self.pick(which)
        if inv.live is None:
            return
        fid, _, units = inv.live
        status, answer = self.book.client.repay(fid, self.book.amount(units))
        if status >= 300:
            self.fail(f"the full repayment of live financing {fid} was refused ({status})", answer=answer)
        inv.live, inv.repaid = None, inv.repaid + 1
        inv.closed.append((fid, units))

    @rule(which=WHICH)
    def repay_again(self, which: int) -> None:
        """Repaying a financing that is not live is refused (`not_live`) and changes nothing."""
        inv = self.pick(which)
        if not inv.closed:
            return
        fid, units = inv.closed[-1]
        status, answer = self.book.client.repay(fid, self.book.amount(units))
        if status < 400:
            self.fail(f"financing {fid} was repaid a second time ({status}); a financing that is not live is "
                      "refused (not_live)", answer=answer)

    @rule(which=WHICH, part=st.integers(1, 99))
    def repay_part(self, which: int, part: int) -> None:
        """Only the full repayment of a live financing is accepted: a partial one is refused."""
        inv = self.pick(which)
        if inv.live is None or inv.live[2] < 2:
            return
        fid, _, units = inv.live
        short = max(1, units * part // 100)
        status, answer = self.book.client.repay(fid, self.book.amount(short))
        if status < 400:
            self.fail(f"a repayment of {self.book.amount(short)} of live financing {fid} "
                      f"({self.book.amount(units)}) was accepted ({status}); only a full repayment is", answer=answer)

    @invariant()
    def platform_matches_model(self) -> None:
        book = self.book
        for inv in self.invoices:
            views = [book.client.receivable(rid) for rid in inv.ids]
            over = [v for v in views if book.units(v["financed"]) > inv.face]
            if over:
                self.fail(f"receivable {over[0]['id']} shows {over[0]['financed']} financed against a face value of "
                          f"{book.amount(inv.face)}", receivable=over[0])
            financed = [v["id"] for v in views if v["status"] == "financed"]
            expected = [inv.live[1]] if inv.live else []
            if len(financed) > 1:
                self.fail(f"invoice {inv.body['invoice_number']!r} backs {len(financed)} live financings at once "
                          f"(registrations {financed})", receivables=views)
            if financed != expected and inv.live is None and inv.repaid:
                self.fail(f"receivable {financed[0]} still shows a live financing after it was repaid",
                          receivable=views[inv.ids.index(financed[0])])
            if financed != expected:
                self.fail(f"invoice {inv.body['invoice_number']!r}: financed registrations are {financed}, the "
                          f"model says {expected}", receivables=views)


class VariantModel(ReceivablesModel):
    """Adds re-registration of a financed invoice under a cosmetic variant of its number."""

    @precondition(lambda self: any(inv.live for inv in self.invoices))
    @rule(which=WHICH, kind=variant_kinds(), position=st.integers(0, 12))
    def refinance_variant(self, which: int, kind: str, position: int) -> None:
        live = [inv for inv in self.invoices if inv.live]
        inv = live[which % len(live)]
        rid = self.book.register_variant(inv, kind, position)
        if rid is not None and rid in inv.confirmed:
            self.try_finance(inv, rid, inv.live[2] if inv.live else inv.face)

    @rule(which=WHICH, kind=variant_kinds(), position=st.integers(0, 12))
    def reregister(self, which: int, kind: str, position: int) -> None:
        self.book.register_variant(self.pick(which), kind, position)


def machine_for(base: type[ReceivablesModel], ctx: CheckContext) -> type[ReceivablesModel]:
    return type(base.__name__, (base,), {"book": Book(ctx), "ctx": ctx})


OPEN: dict[str, Any] = {"debtor": "9131000000000000A1", "number": "FP20250000001", "face": 100_000,
                        "due": date(2030, 1, 31)}
BORROW: list[tuple[str, dict[str, Any]]] = [
    ("first_invoice", OPEN), ("confirm", {"which": 0}), ("finance", {"which": 0, "registration": 0, "share": 100})]
"""The simplest financed invoice: registered, confirmed by its debtor, financed in full."""


def scripted(ctx: CheckContext, base: type[ReceivablesModel], steps: list[tuple[str, dict[str, Any]]]) -> None:
    """Run one fixed sequence of the model's rules, the invariant after each, before the generated ones: the
    rule's core case is then covered at any seed, not only when generation happens to reach it."""
    machine = machine_for(base, ctx)()
    done = [f"state = {base.__name__}()"]
    ctx.examples += 1
    try:
        for name, kwargs in steps:
            done.append(f"state.{name}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})")
            getattr(machine, name)(**kwargs)
            done.append("state.platform_matches_model()")
            machine.platform_matches_model()
    except CertificationFailure as exc:
        if exc.counterexample is None:
            exc.counterexample = {"steps": done}
        raise


class Steps(Params):
    steps: int = Field(20, ge=2, le=200, description="Operations per generated sequence")


@check("receivables.single_financing", params=Steps)
def single_financing(ctx: CheckContext, p: Steps) -> None:
    """One receivable backs at most one live financing, also when the invoice is registered again with a
    cosmetically different invoice number (case, spacing, dashes, full-width digits)."""
    for kind in ("lower", "fullwidth"):
        scripted(ctx, VariantModel, [*BORROW, ("refinance_variant", {"which": 0, "kind": kind, "position": 0})])
    ctx.run_state_machine(machine_for(VariantModel, ctx), stateful_step_count=p.steps)


@check("receivables.release_on_repay", params=Steps)
def release_on_repay(ctx: CheckContext, p: Steps) -> None:
    """A repaid financing releases its receivable, which can then be financed again; a partial repayment and
    a second repayment are refused (scripted once, then in generated sequences)."""
    scripted(ctx, ReceivablesModel, [*BORROW, ("repay_part", {"which": 0, "part": 50}), ("repay", {"which": 0}),
                                     ("repay_again", {"which": 0}),
                                     ("finance", {"which": 0, "registration": 0, "share": 50})])
    ctx.run_state_machine(machine_for(ReceivablesModel, ctx), stateful_step_count=p.steps)


class Concurrency(Params):
    max_parallel: int = Field(8, ge=2, le=64, description="Financing requests sent at once")
    max_variants: int = Field(3, ge=0, le=10, description="Cosmetic re-registrations raced alongside")


@check("receivables.concurrent_financing", params=Concurrency)
def concurrent_financing(ctx: CheckContext, p: Concurrency) -> None:
    """Financing requests for one invoice sent at once (through the same and re-registered receivables):
    exactly one is accepted."""
    book = Book(ctx)
    client = book.client

    @ctx.given(debtor=party_ids(), number=invoice_numbers(), face=face_units(), due=due_dates(),
               parallel=st.integers(2, p.max_parallel), variants=st.lists(variant_kinds(), max_size=p.max_variants),
               share=st.integers(1, 100))
    def prop(debtor: str, number: str, face: int, due: date, parallel: int, variants: list[str], share: int) -> None:
        inv = book.open(debtor, number, face, due, confirm=True)
        for position, kind in enumerate(variants):
            book.register_variant(inv, kind, position)
        targets = [inv.ids[i % len(inv.ids)] for i in range(parallel)]
        amount = book.amount(max(1, face * share // 100))
        start = threading.Barrier(parallel)  # every request leaves at the same moment, whatever the load

        def send(rid: str) -> tuple[int, Any]:
            start.wait(timeout=60)
            return client.finance(rid, book.financier, amount)

        with ThreadPoolExecutor(max_workers=parallel) as pool:
            results = list(pool.map(send, targets))
        accepted = [{"receivable": rid, "financing": answer["id"]}
                    for rid, (status, answer) in zip(targets, results, strict=True) if status < 300]
        if len(accepted) > 1:
            ctx.fail(f"{len(accepted)} of {parallel} concurrent financing requests for invoice {number!r} "
                     f"({book.amount(face)}) were all accepted", accepted=accepted, registrations=inv.ids)
        if not accepted:
            ctx.fail(f"none of {parallel} concurrent financing requests for confirmed, free invoice {number!r} was "
                     "accepted", answers=[answer for _, answer in results])
        financed = [rid for rid in inv.ids if client.receivable(rid)["status"] == "financed"]
        if financed != [accepted[0]["receivable"]]:
            ctx.fail(f"after one accepted financing the platform shows registrations {financed} as financed",
                     accepted=accepted)

    prop()


class FaceValue(Params):
    max_financing_ratio: Dec = Field(gt=0, le=1, description="Most of the face value one receivable may raise "
                                     "(1 = all of it; above 1 the cap would not bind)")


@check("receivables.face_value_cap", params=FaceValue)
def face_value_cap(ctx: CheckContext, p: FaceValue) -> None:
    """Financing above the face value is refused and changes nothing; financing up to it is accepted."""
    book = Book(ctx)
    client = book.client

    @ctx.given(debtor=party_ids(), number=invoice_numbers(), face=face_units(), due=due_dates(),
               over=st.one_of(st.integers(1, 100), st.integers(1, 10**11)))
    def prop(debtor: str, number: str, face: int, due: date, over: int) -> None:
        inv = book.open(debtor, number, face, due, confirm=True)
        rid = inv.ids[0]
        cap = int((Decimal(face) * p.max_financing_ratio).to_integral_value(rounding=ROUND_DOWN))
        status, answer = client.finance(rid, book.financier, book.amount(cap + over))
        if status < 300:
            ctx.fail(f"financed {book.amount(cap + over)} against receivable {rid} with face value "
                     f"{book.amount(face)} (at most {book.amount(cap)} allowed)", answer=answer)
        view = client.receivable(rid)
        if view["status"] != "free" or book.units(view["financed"]) != 0:
            ctx.fail(f"a refused financing above face value left receivable {rid} {view['status']} with "
                     f"{view['financed']} financed", receivable=view)
        status, answer = client.finance(rid, book.financier, book.amount(cap))
        if status >= 300:
            ctx.fail(f"financing exactly the allowed {book.amount(cap)} of a confirmed receivable was refused "
                     f"({status} {answer.get('code')})", answer=answer)

    prop()


@check("receivables.confirmation_required")
def confirmation_required(ctx: CheckContext, p: Params) -> None:
    """A receivable its debtor has not confirmed is not financed; only the debtor can confirm it."""
    book = Book(ctx)
    client = book.client

    @ctx.given(debtor=party_ids(), number=invoice_numbers(), face=face_units(), due=due_dates(),
               confirmer=st.sampled_from(["nobody", "creditor", "financier", "stranger"]))
    def prop(debtor: str, number: str, face: int, due: date, confirmer: str) -> None:
        inv = book.open(debtor, number, face, due, confirm=False)
        rid, amount = inv.ids[0], book.amount(face)
        party = {"creditor": inv.body["creditor"], "financier": book.financier,
                 "stranger": fresh_party("9135")}.get(confirmer)
        if party is not None:
            status, answer = client.confirm(rid, party)
            if status < 300:
                ctx.fail(f"the {confirmer} confirmed receivable {rid} in place of its debtor", answer=answer)
            if (status, answer.get("code")) != (403, "wrong_party"):
                ctx.fail(f"the {confirmer}'s confirmation of receivable {rid} was refused with {status} "
                         f"{answer.get('code')!r}; the contract's refusal is 403 wrong_party", answer=answer)
        status, answer = client.finance(rid, book.financier, amount)
        if status < 300:
            ctx.fail(f"receivable {rid} ({amount}) was financed without its debtor's confirmation", answer=answer)
        client.confirm_ok(rid, debtor)
        status, answer = client.finance(rid, book.financier, amount)
        if status >= 300:
            ctx.fail(f"after the debtor confirmed receivable {rid}, financing {amount} was refused ({status})",
                     answer=answer)

    prop()
