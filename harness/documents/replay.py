"""``replay/<REQ-ID>.json``: one recorded failure of a bundle, with the exact requests ``sandbox replay`` re-sends.

Written by :func:`harness.evidence.bundle.replay_document` for every failed (or waived-failed) requirement;
its JSON Schema is ``schemas/replay.schema.json``.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from harness.documents.base import Document, JsonValue, Ref

REPLAY_SCHEMA_VERSION: Literal[2] = 2  # 1 was the untyped {"schema": "sandbox-replay/1"}
REPLAY_NOTE = "requests of the last (shrunk) failing example, in order; re-send with `sandbox replay`"


class RecordedRequest(Document):
    """One request of the failing example and the answer the product gave then."""

    method: str = Field(min_length=1)
    path: str = Field(min_length=1, description="Path and query, as sent")
    content_type: str = "application/json"
    body: str = Field("", description="The request body exactly as sent (text)")
    status: int | None = Field(None, description="HTTP status of the recorded answer (None: it never answered)")
    response: JsonValue = Field(None, description="The recorded answer: its text, or its parsed JSON")


class ReplayDocument(Document):
    """A failure to re-send: what failed, for which profile and product, and the requests that showed it."""

    document_name: ClassVar[str] = "replay file"

    schema_version: Literal[2] = REPLAY_SCHEMA_VERSION
    requirement: str = Field(description="Requirement ID that failed")
    title: str
    check: str = Field(description="The check that evaluated it")
    profile: Ref
    product: Ref
    runner: str = Field(description="Runner of the recorded run; `sandbox replay` uses it unless told otherwise")
    seed: int = Field(ge=0)
    message: str = Field(description="What the product did wrong")
    counterexample: JsonValue = Field(None, description="The minimal (shrunk) input that shows the failure")
    requests: list[RecordedRequest] = Field(default_factory=list)
    note: str = REPLAY_NOTE
