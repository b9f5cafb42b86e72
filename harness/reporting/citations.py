"""Citations a reader can follow: regulation title, number, article and date, with the public URL from the profile.

A requirement's ``source`` (harness/profiles.py ``Source``) carries ``url`` and ``retrieved``. Reports link only
to a public ``http(s)`` address; a local path of the machine that ran the test is never a link (it would be
baked into a signed bundle and mean nothing to whoever opens it).
"""

from __future__ import annotations

from html import escape
from typing import Any


def public_url(source: dict[str, Any]) -> str | None:
    """The source's address when it is a public web address, else None."""
    url = str(source.get("url") or "")
    return url if url.startswith(("https://", "http://")) else None


def citation_text(source: dict[str, Any]) -> str:
    """One line: title, number, article, date [status]; URL (retrieved date)."""
    if not source:
        return "no source recorded"
    parts = [str(source.get(k)) for k in ("regulation", "number", "article") if source.get(k)]
    text = ", ".join(parts)
    if source.get("date"):
        text += f", {source['date']}"
    if source.get("status"):
        text += f" [{source['status']}]"
    url = public_url(source)
    if url:
        text += f"; {url}" + (f" (retrieved {source['retrieved']})" if source.get("retrieved") else "")
    else:
        text += "; no public URL in the profile"
    return text


def citation_html(source: dict[str, Any]) -> str:
    """The citation as HTML: the regulation's title linked to its public URL (escaped)."""
    if not source:
        return "<span class=\"citation\">no source recorded</span>"
    title = escape(str(source.get("regulation", "")))
    url = public_url(source)
    head = f'<a href="{escape(url)}" rel="noopener noreferrer">{title}</a>' if url else title
    rest = ", ".join(escape(str(source[k])) for k in ("number", "article") if source.get(k))
    tail = f", {escape(str(source['date']))}" if source.get("date") else ""
    status = f' <span class="source-status">[{escape(str(source["status"]))}]</span>' if source.get("status") else ""
    if url:
        retrieved = f", retrieved {escape(str(source['retrieved']))}" if source.get("retrieved") else ""
        where = f' <span class="source-url">({escape(url)}{retrieved})</span>'
    else:
        where = ' <span class="source-url">(no public URL in the profile)</span>'
    note = f'<br><span class="source-note">{escape(str(source["note"]))}</span>' if source.get("note") else ""
    return f'<span class="citation">{head}, {rest}{tail}{status}{where}{note}</span>'


def link_name(source: dict[str, Any]) -> str:
    """A short label for a link to the source: number and article."""
    return " ".join(str(source[k]) for k in ("number", "article") if source.get(k)) or "source"
