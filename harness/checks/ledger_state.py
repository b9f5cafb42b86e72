"""Ledger checks driven by a model (Hypothesis ``RuleBasedStateMachine``, cf. ``run_conformance_test``).

The machine holds what the product must hold (balances, nonces, total supply, accepted transactions),
drives random sequences of signed operations against the product through the ledger contract, and
compares after every step. A failing run is shrunk to the shortest sequence, which becomes the
counterexample. Keys are the harness's own; it signs as the account owner.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from pydantic import Field

from harness.checks.context import CheckContext
from harness.checks.registry import Params, check
from harness.contracts.ledger import LedgerClient
from harness.errors import CertificationFailure
from harness.strategies.ledger import Wallet, forged_signature, str_to_units, unit_amounts, units_to_str

WHO = st.integers(0, 3)


class LedgerModel(RuleBasedStateMachine):
    """Base model: wallets the harness owns, their balances and nonces, and the supply it minted."""

    client: LedgerClient
    ctx: CheckContext
    algorithm = "ed25519"
    decimals = 2
    max_wallets = 4
    opening_units = 10_000

    def __init__(self) -> None:
        super().__init__()
        self.ctx.examples += 1
        self.wallets: list[Wallet] = []
        self.balances: dict[str, int] = {}
        self.nonces: dict[str, int] = {}
        self.accepted: list[dict[str, Any]] = []
        self.supply0 = self.held0 = self.minted = 0

    def baseline(self) -> None:
        """What the ledger held before this sequence (other sequences and checks ran on it before)."""
        self.supply0 = str_to_units(self.client.supply()["total_supply"], self.decimals)

    def fail(self, message: str, **evidence: Any) -> None:
        raise CertificationFailure(message, evidence=evidence)

    def amount(self, units: int) -> str:
        return units_to_str(units, self.decimals)

    def pick(self, i: int, j: int | None = None) -> tuple[Wallet, Wallet]:
        a = self.wallets[i % len(self.wallets)]
        b = self.wallets[(j if j is not None else i + 1) % len(self.wallets)]
        if b is a:
            b = self.wallets[(self.wallets.index(a) + 1) % len(self.wallets)]
        return a, b

    @initialize()
    def open_wallets(self) -> None:
        self.client.seal()  # every sequence starts on a freshly sealed head, so it replays the same way
        self.baseline()
        for _ in range(2):
            self._new_wallet(self.opening_units)
        self.opened(self.client.seal())

    def opened(self, head: dict[str, Any]) -> None:
        """Called with the sealed head once the opening wallets are funded."""

    def _new_wallet(self, units: int) -> None:
        wallet = Wallet.generate(self.algorithm)
        wallet.account = self.client.create_account(wallet.public_key)
        self.wallets.append(wallet)
        self.balances[wallet.account], self.nonces[wallet.account] = 0, 0
        if units:
            self.client.mint(wallet.account, self.amount(units))
            self.balances[wallet.account] += units
            self.minted += units

    @precondition(lambda self: len(self.wallets) < self.max_wallets)
    @rule(units=st.integers(0, 5_000))
    def open_wallet(self, units: int) -> None:
        self._new_wallet(units)

    @rule(who=WHO, units=unit_amounts(5_000))
    def mint(self, who: int, units: int) -> None:
        wallet, _ = self.pick(who)
        self.client.mint(wallet.account, self.amount(units))
        self.balances[wallet.account] += units
        self.minted += units

    @rule(who=WHO, share=st.integers(1, 100))
    def burn(self, who: int, share: int) -> None:
        wallet, _ = self.pick(who)
        units = self.balances[wallet.account] * share // 100
        if units == 0:
            return
        self.client.call("burn", {"from": wallet.account, "amount": self.amount(units)})
        self.balances[wallet.account] -= units
        self.minted -= units

    @rule(sender=WHO, recipient=WHO, share=st.integers(1, 100))
    def transfer(self, sender: int, recipient: int, share: int) -> None:
        a, b = self.pick(sender, recipient)
        units = self.balances[a.account] * share // 100
        if units == 0:
            return
        body = a.transfer(b.account, self.amount(units), self.nonces[a.account])
        receipt = self.client.require_committed(body)
        self.balances[a.account] -= units
        self.balances[b.account] += units
        self.nonces[a.account] += 1
        self.accepted.append({"body": body, "receipt": receipt})

    def product_view(self) -> dict[str, tuple[int, int]]:
        view = {}
        for w in self.wallets:
            acc = self.client.account(w.account)
            view[w.account] = (str_to_units(acc["balance"], self.decimals), acc["nonce"])
        return view

    @invariant()
    def product_matches_model(self) -> None:
        for account, (balance, nonce) in self.product_view().items():
            if (balance, nonce) != (self.balances[account], self.nonces[account]):
                self.fail(f"account {account} holds {self.amount(balance)} with nonce {nonce}; the model says "
                          f"{self.amount(self.balances[account])} with nonce {self.nonces[account]}")


def machine_for(base: type[LedgerModel], ctx: CheckContext) -> type[LedgerModel]:
    """A subclass of ``base`` bound to this run's ledger client and the product's declared formats."""
    client = ctx.client(LedgerClient)
    info = client.info()
    return type(base.__name__, (base,), {"client": client, "ctx": ctx, "algorithm": info["signature_algorithm"],
                                        "decimals": info["decimals"]})


class Steps(Params):
    steps: int = Field(20, ge=2, le=200, description="Operations per generated sequence")


class ConservationModel(LedgerModel):
    def baseline(self) -> None:
        super().baseline()
        self.held0 = sum(str_to_units(a["balance"], self.decimals) for a in self.client.accounts())

    @invariant()
    def supply_conserved(self) -> None:
        supply = self.client.supply()
        total = str_to_units(supply["total_supply"], self.decimals)
        declared = str_to_units(supply["minted"], self.decimals) - str_to_units(supply["burned"], self.decimals)
        if total != declared:
            self.fail(f"total supply {supply['total_supply']} ≠ minted − burned ({self.amount(declared)})",
                      supply=supply)
        if total != self.supply0 + self.minted:
            self.fail(f"total supply {supply['total_supply']} changed without a declared mint or burn "
                      f"(expected {self.amount(self.supply0 + self.minted)})", supply=supply)
        accounts = self.client.accounts()
        ours = set(self.balances)
        negative = [a for a in accounts if a["account"] in ours and a["balance"].startswith("-")]
        if negative:
            self.fail(f"{len(negative)} account(s) hold a negative balance", accounts=negative[:5])
        held = sum(str_to_units(a["balance"], self.decimals) for a in accounts)
        if held - self.held0 != total - self.supply0:
            self.fail(f"the balances of all accounts changed by {self.amount(held - self.held0)} while the total "
                      f"supply changed by {self.amount(total - self.supply0)}", supply=supply)


@check("ledger.conservation", params=Steps)
def conservation(ctx: CheckContext, p: Steps) -> None:
    """Total supply changes only by declared mint/burn; balances add up to it and are never negative."""
    ctx.run_state_machine(machine_for(ConservationModel, ctx), stateful_step_count=p.steps)


REFUSALS: dict[str, tuple[int, frozenset[str]]] = {
    # what is refused → the status and problem ``code`` the ledger contract gives for it (ALSO: another
    # refusal the contract allows for the same request)
    "overspend": (409, frozenset({"insufficient_funds"})),
    "overburn": (409, frozenset({"insufficient_funds"})),
    "bad_signature": (401, frozenset({"bad_signature"})),
    "wrong_nonce": (409, frozenset({"bad_nonce"})),
    "replay": (409, frozenset({"bad_nonce", "duplicate"})),  # a replay also reuses a spent nonce
    "unknown_recipient": (404, frozenset({"unknown_account"})),
    "malformed_amount": (422, frozenset({"invalid"})),
    "duplicate_account": (409, frozenset({"duplicate"})),
    "malformed_key": (422, frozenset({"invalid"})),
    "malformed_transfer": (422, frozenset({"invalid"})),
    "unreadable_signature": (401, frozenset({"bad_signature"})),
}
ALSO: dict[str, tuple[int, frozenset[str]]] = {
    "unreadable_signature": (422, frozenset({"invalid"})),  # a signature that is not hex breaks the schema too
}


class RejectionModel(LedgerModel):
    """Adds operations the product must refuse, each with the contract's status and problem code for that
    reason (a refusal for the wrong reason hides which rule the product applies); the inherited invariant
    proves a refusal changed nothing."""

    def refused(self, what: str, reason: str, body: dict[str, Any], operation: str = "transfer") -> None:
        status, answer = self.client.attempt(operation, body)
        if status < 400:
            self.fail(f"{what} was accepted ({answer})", request=body, answer=answer)
        expected, codes = REFUSALS[reason]
        code = answer.get("code") if isinstance(answer, dict) else None
        also = ALSO.get(reason)
        if (status != expected or code not in codes) and not (also and status == also[0] and code in also[1]):
            self.fail(f"{what} was refused with {status} code {code!r}; the ledger contract gives {expected} "
                      f"{' or '.join(sorted(codes))} for it", request=body, answer=answer)

    @rule(sender=WHO, recipient=WHO, extra=unit_amounts(1_000))
    def overspend(self, sender: int, recipient: int, extra: int) -> None:
        a, b = self.pick(sender, recipient)
        units = self.balances[a.account] + extra
        self.refused(f"an overspend of {self.amount(units)} from a balance of {self.amount(self.balances[a.account])}",
                     "overspend", a.transfer(b.account, self.amount(units), self.nonces[a.account]))

    @rule(who=WHO, extra=unit_amounts(1_000))
    def overburn(self, who: int, extra: int) -> None:
        wallet, _ = self.pick(who)
        units = self.balances[wallet.account] + extra
        self.refused(f"burning {self.amount(units)} from a balance of {self.amount(self.balances[wallet.account])}",
                     "overburn", {"from": wallet.account, "amount": self.amount(units)}, "burn")

    @rule(sender=WHO, recipient=WHO, units=unit_amounts(100))
    def bad_signature(self, sender: int, recipient: int, units: int) -> None:
        a, b = self.pick(sender, recipient)
        body = a.transfer(b.account, self.amount(units), self.nonces[a.account])
        self.refused("a transfer with a forged signature", "bad_signature",
                     {**body, "signature": forged_signature(body["signature"])})

    @rule(sender=WHO, recipient=WHO, units=unit_amounts(100), delta=st.sampled_from([-2, -1, 1, 2, 7]))
    def wrong_nonce(self, sender: int, recipient: int, units: int, delta: int) -> None:
        a, b = self.pick(sender, recipient)
        nonce = self.nonces[a.account] + delta
        if nonce < 0:
            return
        self.refused(f"a transfer with nonce {nonce} (next is {self.nonces[a.account]})", "wrong_nonce",
                     a.transfer(b.account, self.amount(units), nonce))

    @precondition(lambda self: bool(self.accepted))
    @rule(which=st.integers(0, 1_000))
    def replay(self, which: int) -> None:
        body = self.accepted[which % len(self.accepted)]["body"]
        self.client.seal()  # the strongest replay: after the original is in a block
        self.refused("a replayed signed transfer", "replay", body)

    @rule(sender=WHO, units=unit_amounts(100))
    def unknown_recipient(self, sender: int, units: int) -> None:
        a, _ = self.pick(sender)
        to = a.account[:-1] + ("1" if a.account[-1] == "0" else "0")  # the sender's ID, last character changed
        if to in self.balances:
            return
        self.refused(f"a transfer to {to}, an account the ledger never opened", "unknown_recipient",
                     a.transfer(to, self.amount(units), self.nonces[a.account]))

    @rule(sender=WHO, recipient=WHO, units=unit_amounts(100),
          how=st.sampled_from(["one more decimal", "zero", "the smallest negative amount"]))
    def malformed_amount(self, sender: int, recipient: int, units: int, how: str) -> None:
        a, b = self.pick(sender, recipient)
        amount = {"one more decimal": self.amount(units) + "0", "zero": self.amount(0)}.get(how, "-" + self.amount(1))
        self.refused(f"a transfer of {amount!r} ({how}; amounts have exactly {self.decimals} decimals and are "
                     "positive)", "malformed_amount", a.transfer(b.account, amount, self.nonces[a.account]))

    @rule(sender=WHO, recipient=WHO, units=unit_amounts(100),
          how=st.sampled_from(["a negative nonce", "a signature that is not a string", "a signature that is not hex",
                               "from equal to to"]))
    def malformed_transfer(self, sender: int, recipient: int, units: int, how: str) -> None:
        """Signed by the sender's key, to a known account, within the balance: wrong only in ``how``."""
        a, b = self.pick(sender, recipient)
        if how == "a negative nonce":
            body = a.transfer(b.account, self.amount(units), -1)
        elif how == "from equal to to":
            body = a.transfer(a.account, self.amount(units), self.nonces[a.account])
        elif how == "a signature that is not hex":
            body = {**a.transfer(b.account, self.amount(units), self.nonces[a.account]), "signature": "zz" * 64}
            self.refused(f"a transfer with {how}", "unreadable_signature", body)
            return
        else:
            body = {**a.transfer(b.account, self.amount(units), self.nonces[a.account]), "signature": 12345}
        self.refused(f"a transfer with {how}", "malformed_transfer", body)

    @rule(who=WHO)
    def duplicate_account(self, who: int) -> None:
        wallet, _ = self.pick(who)
        self.refused("opening a second account for a public key that has one", "duplicate_account",
                     {"public_key": wallet.public_key}, "create_account")

    @rule(who=WHO, how=st.sampled_from(["not hex", "one byte short"]))
    def malformed_key(self, who: int, how: str) -> None:
        key = self.pick(who)[0].public_key
        bad = "zz" + key[2:] if how == "not hex" else key[:-2]
        self.refused(f"opening an account for a public key that is {how}", "malformed_key", {"public_key": bad},
                     "create_account")


@check("ledger.invalid_rejected", params=Steps)
def invalid_rejected(ctx: CheckContext, p: Steps) -> None:
    """Overspend, overburn, bad signature, wrong nonce, replay, an unknown recipient, a malformed amount or
    transfer (negative nonce, non-string signature, to oneself), a duplicate or malformed key are refused
    with the contract's status and code, and a refusal changes nothing."""
    ctx.run_state_machine(machine_for(RejectionModel, ctx), stateful_step_count=p.steps)


class FinalityModel(LedgerModel):
    """Remembers every accepted transaction and every block hash it saw; neither may ever change."""

    def __init__(self) -> None:
        super().__init__()
        self.block_hashes: dict[int, str] = {}
        self.placed: dict[str, int] = {}

    def opened(self, head: dict[str, Any]) -> None:
        self.block_hashes[head["height"]] = head["hash"]

    @rule()
    def seal(self) -> None:
        head = self.client.seal()
        if head["pending"] != 0:
            self.fail(f"right after a seal the head gives pending = {head['pending']}; a seal puts every pending "
                      "transaction in a block, so none is left", head=head)
        self.block_hashes.setdefault(head["height"], head["hash"])
        if self.block_hashes[head["height"]] != head["hash"]:
            self.fail(f"block {head['height']} changed its hash from {self.block_hashes[head['height']]} to "
                      f"{head['hash']}", head=head)
        self.head_is_the_last_block(head)

    def head_is_the_last_block(self, head: dict[str, Any]) -> None:
        """The head names the chain's last block: block ``height`` has its hash, none comes after it, and the
        chain starts at block 0 (a negative height names no block)."""
        top = self.client.block(head["height"])
        if top["hash"] != head["hash"] or top["header"]["height"] != head["height"]:
            self.fail(f"the head says block {head['height']} has hash {head['hash']}; block {head['height']} is "
                      f"{top['header']['height']} with hash {top['hash']}", head=head, block=top["header"])
        for height in (head["height"] + 1, -1):
            status, answer = self.client.attempt("block", height=height)
            if status != 404:
                self.fail(f"block {height} was answered {status}; the chain's head is block {head['height']}, so "
                          "there is no such block (404)", answer=answer)
        genesis = self.client.block(0)["header"]
        if genesis["height"] != 0:
            self.fail(f"block 0 says it is block {genesis['height']}", block=genesis)

    @invariant()
    def committed_stay(self) -> None:
        for entry in self.accepted:
            receipt = entry["receipt"]
            tx_id, body = receipt["tx_id"], entry["body"]
            said = "pending" if receipt["block_height"] is None else "committed"
            if receipt["status"] != said:
                self.fail(f"the receipt of transfer {tx_id} says {receipt['status']!r} with block_height "
                          f"{receipt['block_height']}: a transaction in no block is pending, one in a block is "
                          "committed", receipt=receipt)
            if said == "committed":
                self.placed.setdefault(tx_id, receipt["block_height"])
            status, answer = self.client.attempt("transaction", tx_id=tx_id)
            if status >= 300:
                self.fail(f"accepted transfer {tx_id} disappeared ({status})", transfer=body)
            tx = answer["transaction"]
            if any(tx[k] != body[k] for k in ("from", "to", "amount", "nonce", "signature")):
                self.fail(f"accepted transfer {tx_id} changed", accepted=body, now=tx)
            height = answer["block_height"]
            if answer["status"] != ("pending" if height is None else "committed"):
                self.fail(f"transaction {tx_id} is {answer['status']!r} with block_height {height}: a transaction "
                          "in no block is pending, one in a block is committed", answer=answer)
            if height is not None:
                if self.placed.setdefault(tx_id, height) != height:
                    self.fail(f"transaction {tx_id} moved from block {self.placed[tx_id]} to block {height}")
                block = self.client.block(height)
                block_hash = block["hash"]
                if self.block_hashes.setdefault(height, block_hash) != block_hash:
                    self.fail(f"block {height} holding committed transaction {tx_id} was rewritten "
                              f"(hash {self.block_hashes[height]} → {block_hash})")
                if tx_id not in {t.get("id") for t in block["transactions"]}:
                    self.fail(f"transaction {tx_id} is committed in block {height}, and block {height} does not "
                              f"list it among its {len(block['transactions'])} transactions", answer=answer,
                              block=block)


@check("ledger.finality", params=Steps)
def finality(ctx: CheckContext, p: Steps) -> None:
    """A committed transaction never disappears or changes, a sealed block is never rewritten and lists the
    transactions committed in it, a receipt's status agrees with its block, the head is the chain's last block,
    and nothing is pending right after a seal."""
    ctx.run_state_machine(machine_for(FinalityModel, ctx), stateful_step_count=p.steps)
