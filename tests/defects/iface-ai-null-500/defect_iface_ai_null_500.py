"""Seeded defect for BJ-IFACE-001: A null field in a /v1/scores request body crashes the handler:
500 instead of a 4xx problem+json
(the generic conformance fuzz finds it; the domain checks send only complete requests)."""

from typing import Any

from ai_credit_model.api import create_app as reference_app
from null_crash import NullCrash


def create_app(*args: Any, **kwargs: Any) -> Any:
    return NullCrash(reference_app(*args, **kwargs), "/v1/scores")
