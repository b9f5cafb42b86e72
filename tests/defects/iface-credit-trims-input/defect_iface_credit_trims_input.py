"""Seeded defect for NAT-IFACE-001: the schedule operation trims whitespace off the principal before it
validates it, so "1000.00\\n", which the contract's pattern refuses (ECMA-262: ``$`` is the end of the
string), is accepted with 200 instead of a 4xx problem. The same happens, without a ``strip()``, to any
product that checks a pattern with Python's ``re.match`` and a ``$``: that ``$`` also matches before a final
newline."""

from typing import Any

from rural_microloan.api import CreditApp


class App(CreditApp):
    def schedule(self, body: Any) -> tuple[int, Any]:
        if isinstance(body, dict) and isinstance(body.get("principal"), str):
            body = {**body, "principal": body["principal"].strip()}  # Defect: "be lenient in what you accept"
        return super().schedule(body)


def create_app() -> object:
    return App()
