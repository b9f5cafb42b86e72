"""Seeded defect for NAT-IFACE-002: A null field in a /v1/bookings request body crashes the handler:
500 instead of a 4xx problem+json
(the generic conformance fuzz finds it; the domain checks send only complete requests)."""

from typing import Any

from null_crash import NullCrash
from rural_microloan.api import create_app as reference_app


def create_app(*args: Any, **kwargs: Any) -> Any:
    return NullCrash(reference_app(*args, **kwargs), "/v1/bookings")
