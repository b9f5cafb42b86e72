"""What checks and contracts see of the HTTP path to a product (kept apart from the runners, which
implement it in ``harness/runners/wire.py``): a request is a method, a path, a body and headers; an
:class:`Answer` is the status, the headers and the bytes, with the guard's cut mark in ``extensions``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Protocol

__all__ = ["Answer", "Listener", "ProductHttp", "Reply"]


class Answer:
    """What the product answered to one request (and what was sent, for evidence and replays)."""

    __slots__ = ("content", "extensions", "headers", "method", "path", "sent", "sent_type", "status_code")

    def __init__(self, status_code: int, headers: dict[str, str], content: bytes, *, method: str, path: str,
                 sent: bytes, sent_type: str, extensions: dict[str, Any] | None = None) -> None:
        self.status_code = status_code
        self.headers = headers  # names lower-cased; repeated headers joined with ", "
        self.content = content
        self.extensions = extensions if extensions is not None else {}
        self.method, self.path, self.sent, self.sent_type = method, path, sent, sent_type

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)


class Reply(Protocol):
    """What checks read of an answer (an :class:`Answer`, or an ``httpx.Response`` from a plain client)."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def content(self) -> bytes: ...
    @property
    def text(self) -> str: ...
    @property
    def extensions(self) -> Mapping[str, Any]: ...
    def json(self) -> Any: ...


class ProductHttp(Protocol):
    """``ctx.http``: a :class:`WsgiWire`, an :class:`HttpxWire`, or any ``httpx.Client``."""

    def request(self, method: str, path: str, *, content: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> Reply: ...

    def close(self) -> None: ...


Listener = Callable[[Answer], None]
