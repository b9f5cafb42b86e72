"""Hermetic product images: build context assembled on the host, built with no network and no pull.

The context holds ``Dockerfile`` (the product's), ``product.yaml`` (it names the app and command that run),
``src/<n>/`` (every file of the n-th source folder of product.yaml, nothing skipped: compiled and hidden
files too, so a product built on another product's code can be built) and ``wheels/`` (``container.wheels``
downloaded on the host with pip). The context is a clean copy made from the same file list the digest is
computed over, and the image is built from it: nothing runs that the digest does not cover. Images are
tagged by a digest of the context and of the base images, so an unchanged product is never rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from harness.errors import ProductStartError, RunnerError
from harness.manifests import Manifest, inside, source_files

LABEL_CONTEXT = "org.sandbox.context"
WHEEL_CACHE = Path.home() / ".cache" / "sandbox-wheels"


def find_dockerfile(manifest: Manifest) -> Path:
    """The product's Dockerfile; a product built on another's sources may reuse that product's recipe."""
    name = manifest.container.dockerfile if manifest.container else "Dockerfile"
    for base in [manifest.root, *manifest.source_paths()]:
        if (base / name).is_file() and inside(base / name, base):  # load_manifest checked the product folder
            return base / name
    raise RunnerError(f"{manifest.root / 'product.yaml'}: container.dockerfile: no {name} in the product folder "
                      "or its sources; add one to run the product in a container")


def assemble_context(manifest: Manifest, dest: Path) -> str:
    """Fill ``dest`` with the build context; return its digest (paths and contents)."""
    shutil.copyfile(find_dockerfile(manifest), dest / "Dockerfile")
    shutil.copyfile(manifest.root / "product.yaml", dest / "product.yaml")
    for n, source in enumerate(manifest.source_paths()):
        target = dest / "src" / str(n)
        target.mkdir(parents=True)
        for file in source_files(source):
            (target / file.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target / file.relative_to(source))
    wheels = dest / "wheels"
    wheels.mkdir()
    if manifest.container and manifest.container.wheels:
        _download_wheels(manifest.container.wheels, wheels)
    return tree_digest(dest)


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(str(file.relative_to(root)).encode() + b"\0")
        h.update(hashlib.sha256(file.read_bytes()).digest())
    return "sha256:" + h.hexdigest()


def pin_to_host(requirements: list[str]) -> list[str]:
    """A bare name is pinned to the version installed next to the harness, so the container runs exactly
    the library versions the in-process run used; an explicit specifier is kept as written."""
    pinned = []
    for req in requirements:
        if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", req):
            with contextlib.suppress(metadata.PackageNotFoundError):
                req = f"{req}=={metadata.version(req)}"
        pinned.append(req)
    return pinned


def _download_wheels(requirements: list[str], dest: Path) -> None:
    """``pip download`` binary wheels for the image's CPython on the host (cached), copy them in."""
    requirements = pin_to_host(requirements)
    key = hashlib.sha256("\n".join(sorted(requirements)).encode()).hexdigest()[:16]
    cache = WHEEL_CACHE / key
    if not (cache / ".complete").is_file():
        cache.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--only-binary=:all:",
               "--python-version", "3.11", "--implementation", "cp", "--platform", "manylinux2014_x86_64",
               "--platform", "manylinux_2_28_x86_64", "--dest", str(cache), *requirements]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RunnerError(f"pip download of container.wheels {requirements} failed: {done.stderr.strip()[-500:]}")
        (cache / ".complete").write_text("ok\n")
    for wheel in cache.glob("*.whl"):
        shutil.copy2(wheel, dest / wheel.name)


def base_images(dockerfile: Path) -> list[str]:
    return re.findall(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)", dockerfile.read_text(), flags=re.M | re.I)


def ensure_image(client: Any, manifest: Manifest, context: Path, context_digest: str, *, nocache: bool = False
                 ) -> tuple[Any, bool]:
    """Return (image, built): reuse the image tagged with this context, else build it with pull=False
    (``nocache`` rebuilds every layer, for cold-build benchmarks)."""
    import docker.errors

    bases = []
    for name in base_images(context / "Dockerfile"):
        try:
            bases.append(client.images.get(name).id)
        except docker.errors.ImageNotFound:
            raise RunnerError(f"base image {name} is not in the local engine (no registry is used); "
                              "provision it with `sandbox engine up`") from None
    key = hashlib.sha256(f"{context_digest} {' '.join(bases)}".encode()).hexdigest()[:16]
    tag = f"sandbox-product/{manifest.id}:{key}"
    try:
        if not nocache:
            return client.images.get(tag), False
    except docker.errors.ImageNotFound:
        pass
    sources = ":".join(f"/app/{n}" for n in range(len(manifest.sources)))
    try:
        image, _ = client.images.build(
            path=str(context), dockerfile="Dockerfile", tag=tag, pull=False, nocache=nocache, rm=True, forcerm=True,
            network_mode="none", buildargs={"SOURCES": sources},
            labels={LABEL_CONTEXT: context_digest, "org.sandbox.product": manifest.id},
        )
    except docker.errors.BuildError as exc:
        log = "".join(str(chunk.get("stream", chunk.get("error", ""))) for chunk in exc.build_log)
        raise ProductStartError(f"the product image did not build: {exc.msg}",
                                evidence={"build log": log[-20_000:]}) from None
    except docker.errors.APIError as exc:
        raise RunnerError(f"docker build failed: {exc.explanation or exc}") from None
    return image, True
