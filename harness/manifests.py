"""Product manifests: ``products/<id>/product.yaml`` → validated :class:`Manifest`.

A manifest says who the product is, which capabilities (and contract versions) it implements, which
lender type it is (some rules exempt some lender types), and how it runs: ``inprocess.app`` is an
import path ``module:factory`` returning a WSGI application; ``container`` names the Dockerfile.
``sources`` lists extra folders (relative to the product folder) that hold code the product imports.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness._yaml import describe_validation_error, load_mapping
from harness.errors import ManifestError

LenderType = Literal[
    "commercial_bank",
    "rural_commercial_bank",
    "rural_credit_cooperative",
    "village_bank",
    "consumer_finance_company",
    "microcredit_company",
    "financing_guarantee_company",
    "pawnshop",
    "financial_leasing_company",
    "commercial_factoring_company",
    "local_asset_management_company",
    "payment_institution",
    "technology_provider",
]
CAPABILITIES = ("credit", "ledger", "receivables", "ai_model", "cross_border", "resilience")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CapabilityDecl(_Strict):
    contract: Literal["1"] = Field(description="Contract version implemented")


class InProcess(_Strict):
    app: str = Field(pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$", description="module:factory → WSGI app")


class Container(_Strict):
    dockerfile: str = "Dockerfile"
    command: list[str] | None = None
    wheels: list[str] = Field(default_factory=list, description="PyPI requirements baked in as wheels; a bare "
                              "name is pinned to the version installed beside the harness")


class SeededDefect(_Strict):
    """Marks a harness self-test product: which requirements it is built to fail, and how."""

    requirements: list[str] = Field(min_length=1)
    description: str


class Manifest(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    vendor: str
    version: str
    description: str = ""
    lender_type: LenderType
    capabilities: dict[Literal["credit", "ledger", "receivables", "ai_model", "cross_border", "resilience"],
                       CapabilityDecl]
    sources: list[str] = Field(default_factory=lambda: ["."])
    inprocess: InProcess | None = None
    container: Container | None = None
    seeded_defect: SeededDefect | None = None
    directory: str = Field("", exclude=True)

    @property
    def root(self) -> Path:
        return Path(self.directory)

    def source_paths(self) -> list[Path]:
        return [(self.root / s).resolve() for s in self.sources]

    def source_digest(self) -> str:
        """SHA-256 over the product's source tree (paths and contents), the in-process product digest."""
        h = hashlib.sha256()
        for base in self.source_paths():
            for file in sorted(p for p in base.rglob("*") if p.is_file()):
                if "__pycache__" in file.parts or file.suffix == ".pyc":
                    continue
                h.update(str(file.relative_to(base)).encode() + b"\0")
                h.update(hashlib.sha256(file.read_bytes()).digest())
        return "sha256:" + h.hexdigest()


def load_manifest(product_dir: str | Path) -> Manifest:
    """Load ``<product_dir>/product.yaml`` (a path to the YAML file itself is accepted too)."""
    path = Path(product_dir)
    if path.is_dir():
        path = path / "product.yaml"
    elif not path.exists():
        raise ManifestError(f"{path}: product folder not found; pass the folder that holds product.yaml")
    data = load_mapping(path, ManifestError, "product manifest")
    data["directory"] = str(path.parent.resolve())
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        raise ManifestError(describe_validation_error(path, exc, data)) from None
    for src in manifest.sources:
        if not (path.parent / src).is_dir():
            raise ManifestError(f"{path}: sources: folder {src!r} does not exist; fix the relative path")
    if manifest.inprocess is None and manifest.container is None:
        raise ManifestError(f"{path}: inprocess: a product needs 'inprocess' or 'container' to run; add one")
    return manifest
