"""What every output document shares: a strict base model, JSON-ready field types, and one way to parse a
document (a file, its bytes or already-loaded JSON) that turns a bad document into one line naming the
file and the field (:class:`DocumentError`, a HarnessError: exit 2 on the command line, never a traceback)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, PlainSerializer, ValidationError

from harness.errors import HarnessError


class DocumentError(HarnessError):
    """An output document (bundle.json, environment.json, a replay file, campaign.json, a certificate predicate)
    is missing, is not JSON, or does not match its model; the message names the file and the field."""


class Document(BaseModel):
    """Base of the output documents: unknown keys are an error (a misspelt or renamed field never passes)."""

    model_config = ConfigDict(extra="forbid")

    document_name: ClassVar[str] = "document"
    fix_hint: ClassVar[str] = "re-run the certification"


def _iso(value: datetime) -> str:
    return value.isoformat()


def _json_ready(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


# A timezone-aware moment, written as ``datetime.isoformat()`` (``+00:00``, as the documents always had).
Timestamp = Annotated[AwareDatetime, PlainSerializer(_iso, return_type=str, when_used="json")]
# Any JSON value (a counterexample, a recorded body); values JSON cannot hold (Decimal, date) become strings.
JsonValue = Annotated[Any, PlainSerializer(_json_ready, when_used="json")]


class Ref(Document):
    """Which profile or product: id, version and digest."""

    id: str
    version: str
    digest: str


M = TypeVar("M", bound=BaseModel)


def _where(exc: ValidationError) -> tuple[str, str]:
    errors = exc.errors()
    # An old document fails on many fields; its schema_version is the one that explains all of them.
    first = next((e for e in errors if e["loc"][:1] == ("schema_version",)), errors[0])
    where = ".".join(str(part) for part in first["loc"]) or "(document)"
    return where, " ".join(str(first["msg"]).split())


def describe_error(exc: ValidationError, source: str, model: type[BaseModel], *, what: str | None = None,
                   hint: str | None = None) -> str:
    """One line: ``<source>: <field>: <problem>; not a <document> of schema version N (<fix>)``."""
    where, msg = _where(exc)
    field = model.model_fields.get("schema_version")
    version = f" of schema version {field.default}" if field is not None and field.default is not None else ""
    name: str = what or str(getattr(model, "document_name", model.__name__))
    article = "an" if name[:1].lower() in "aeiou" else "a"
    fix: str = hint or str(getattr(model, "fix_hint", ""))
    return f"{source}: {where}: {msg}; not {article} {name}{version}" + (f" ({fix})" if fix else "")


def parse_document(model: type[M], data: Any, source: str, *, what: str | None = None,
                   hint: str | None = None) -> M:
    """Validate ``data`` (JSON text or bytes, or loaded JSON) as ``model``; DocumentError naming ``source`` and
    the first bad field otherwise."""
    try:
        if isinstance(data, str | bytes | bytearray):
            return model.model_validate_json(data)
        return model.model_validate(data)
    except ValidationError as exc:
        raise DocumentError(describe_error(exc, source, model, what=what, hint=hint)) from None


def read_document(model: type[M], path: str | Path, *, source: str | None = None, what: str | None = None,
                  hint: str | None = None) -> M:
    """Read and parse one document file (``source`` names it in errors; default: the path)."""
    file = Path(path)
    label = source or str(file)
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{label}: missing") from None
    except OSError as exc:
        raise DocumentError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    return parse_document(model, data, label, what=what, hint=hint)


def write_document(path: Path, document: BaseModel) -> Path:
    """Write a document as indented JSON (UTF-8, final newline), creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path
