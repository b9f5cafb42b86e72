"""JSON Schemas of the output documents, for the people and programs that read them.

``export_schemas(dir)`` (and ``sandbox schema --documents DIR``) writes one ``<name>.schema.json`` per
document; the repository keeps them in ``schemas/`` and tests/test_documents.py fails when the committed
files and the models drift apart.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from harness.documents.bundle import BundleManifest, EnvironmentDocument
from harness.documents.campaign import CampaignDocument
from harness.documents.certificate import PREDICATE_TYPE, CertificatePredicate
from harness.documents.replay import ReplayDocument
from harness.documents.verdict import VerdictDocument

DRAFT = "https://json-schema.org/draft/2020-12/schema"
ID_BASE = "urn:fintech-sandbox:schema:"

# schema file stem → (model, title, the file it describes)
DOCUMENTS: dict[str, tuple[type[BaseModel], str, str]] = {
    "verdict": (VerdictDocument, "Sandbox verdict", "verdict.json of a certification run"),
    "bundle": (BundleManifest, "Sandbox evidence bundle manifest", "bundle.json of an evidence bundle"),
    "environment": (EnvironmentDocument, "Sandbox run environment", "environment.json of an evidence bundle"),
    "replay": (ReplayDocument, "Sandbox replay file", "replay/<REQ-ID>.json of an evidence bundle"),
    "campaign": (CampaignDocument, "Sandbox campaign result", "campaign.json of `sandbox campaign`"),
    "certificate-predicate": (CertificatePredicate, "Sandbox certificate predicate",
                              f"predicate of the in-toto Statement in a certificate (predicateType {PREDICATE_TYPE})"),
}


def document_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one document, by its schema file stem (``DOCUMENTS``)."""
    model, title, describes = DOCUMENTS[name]
    schema = model.model_json_schema()
    return {"$schema": DRAFT, "$id": f"{ID_BASE}{name}", **schema, "title": title,
            "description": f"{describes}. {schema.get('description', '')}".strip()}


def document_schemas() -> dict[str, dict[str, Any]]:
    """File name (``<name>.schema.json``) → schema, for every document."""
    return {f"{name}.schema.json": document_schema(name) for name in DOCUMENTS}


def render(schema: dict[str, Any]) -> str:
    """A schema as the committed file holds it (stable: indented, final newline)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def export_schemas(directory: str | Path) -> list[Path]:
    """Write every document's schema to ``directory`` (created if needed); return the files written."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, schema in document_schemas().items():
        path = target / filename
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written
