"""Product manifests: ``products/<id>/product.yaml`` → validated :class:`Manifest`.

A manifest says who the product is, which capabilities (and contract versions) it implements, which
lender type it is (some rules exempt some lender types), and how it runs: ``inprocess.app`` is an
import path ``module:factory`` returning a WSGI application; ``container`` names the Dockerfile.
``sources`` lists the folders (relative to the product folder) that hold code the product imports.

What a product may reach on the certifying machine (checked on load, ManifestError naming the field):

* ``sources``: each entry, resolved (links followed), is the product folder, a folder inside it, or the
  folder of another product (one holding its own ``product.yaml``): a product may build on another
  product's code, never on an arbitrary folder of the machine (a home folder, ``/etc``). Source folders hold
  plain files only: a symbolic link (which could point anywhere) or a special file is refused.
* ``container.dockerfile``: a relative path that stays inside the product folder (no ``..`` or link out).
  When the product folder has no such file, the same name is looked up in the source folders, so a product
  built on another's code reuses its recipe.

The product digest covers every file of every source folder, compiled (``__pycache__``, ``.pyc``) and
hidden files included, plus ``product.yaml`` (it names what runs): whatever the runner can execute or the
image contains is digested, and nothing the digest skips can run.
"""

from __future__ import annotations

import hashlib
import os
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
    operations: list[str] = Field(default_factory=list, description="The contract's optional operations "
                                  "(x-sandbox-optional) this product also implements, e.g. [decide_batch]")


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

    def implemented(self, capability: str) -> frozenset[str]:
        """The optional operations of ``capability``'s contract that this product declares."""
        decl = self.capabilities.get(capability)  # type: ignore[call-overload]
        return frozenset(decl.operations) if decl is not None else frozenset()

    def source_paths(self) -> list[Path]:
        return [(self.root / s).resolve() for s in self.sources]

    def source_digest(self) -> str:
        """SHA-256 over product.yaml and every file of the source folders (paths and contents), nothing
        skipped: the in-process product digest."""
        h = hashlib.sha256()
        h.update(b"product.yaml\0" + hashlib.sha256((self.root / "product.yaml").read_bytes()).digest())
        for base in self.source_paths():
            for file in source_files(base):
                h.update(str(file.relative_to(base)).encode() + b"\0")
                h.update(hashlib.sha256(file.read_bytes()).digest())
        return "sha256:" + h.hexdigest()


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, links resolved, is ``folder`` or lies inside it."""
    return path.resolve().is_relative_to(folder.resolve())


def source_files(base: Path) -> list[Path]:
    """Every file under a source folder, sorted, nothing skipped; ManifestError on a link or special file."""
    found = []
    for folder, dirs, files in os.walk(base):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            if path.is_symlink():
                raise ManifestError(f"{path}: sources: a symbolic link in a source folder (it could point anywhere "
                                    "on the certifying machine); replace it with the file or folder itself")
            if name in files and not path.is_file():
                raise ManifestError(f"{path}: sources: not a regular file; remove it from the source folder")
        found += [Path(folder) / name for name in files]
    return sorted(found)


def load_manifest(product_dir: str | Path) -> Manifest:
    """Load ``<product_dir>/product.yaml`` (a path to the YAML file itself is accepted too)."""
    path = Path(product_dir)
    try:
        is_dir, exists = path.is_dir(), path.exists()
    except OSError as exc:  # e.g. a name longer than the file system allows
        raise ManifestError(f"{path}: cannot be read as a product folder ({exc.strerror}); "
                            "pass the folder that holds product.yaml") from None
    if is_dir:
        path = path / "product.yaml"
    elif not exists:
        raise ManifestError(f"{path}: product folder not found; pass the folder that holds product.yaml")
    data = load_mapping(path, ManifestError, "product manifest")
    data["directory"] = str(path.parent.resolve())
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        raise ManifestError(describe_validation_error(path, exc, data)) from None
    root = path.parent
    for src in manifest.sources:
        folder = root / src
        if not folder.is_dir():
            raise ManifestError(f"{path}: sources: folder {src!r} does not exist; fix the relative path")
        if not inside(folder, root) and not (folder / "product.yaml").is_file():
            raise ManifestError(f"{path}: sources: {src!r} is outside the product folder and not another "
                                "product's folder; a product may only build on its own files or another product")
        source_files(folder)
    if manifest.container is not None:
        dockerfile = manifest.container.dockerfile
        if Path(dockerfile).is_absolute() or not inside(root / dockerfile, root):
            raise ManifestError(f"{path}: container.dockerfile: {dockerfile!r} leaves the product folder; name a "
                                "file inside it (relative path, no '..' or link out)")
    if manifest.inprocess is None and manifest.container is None:
        raise ManifestError(f"{path}: inprocess: a product needs 'inprocess' or 'container' to run; add one")
    _check_operations(path, manifest)
    return manifest


def _check_operations(path: Path, manifest: Manifest) -> None:
    """Every listed optional operation is one the capability's contract marks optional."""
    from harness.contracts.base import load_contract

    for name, decl in manifest.capabilities.items():
        if not decl.operations:
            continue
        optional = load_contract(name).optional_operations
        unknown = sorted(set(decl.operations) - set(optional))
        if unknown:
            raise ManifestError(f"{path}: capabilities.{name}.operations: {', '.join(unknown)} "
                                f"{'is' if len(unknown) == 1 else 'are'} not an optional operation of the {name} "
                                f"contract; list only {', '.join(optional) or 'nothing (it has none)'}")
