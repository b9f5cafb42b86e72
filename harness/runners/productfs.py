"""Host-side access to places a product can write, without following anything it could have planted.

A product container writes its data folder and its socket folder, which the harness (often root) reads on
the host. A product may plant a symbolic link there (``bookings.jsonl -> /etc/shadow``, ``product.sock ->
/var/run/docker.sock``) or a FIFO that blocks a reader. Everything here walks from a directory descriptor the
harness opened itself, one component at a time with ``O_NOFOLLOW``, accepts regular files (and, for the
socket, a socket) only, and, when the harness runs as root, does the file work with the file-system identity
of the container's user (``setfsuid``): a file the product could not write, the harness does not write either.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import stat
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

from harness.errors import ProductError

MAX_READ = 64 * 2**20  # one data file read back by a check (a tmpfs data folder is smaller anyway)
MAX_FILES = 10_000
_OPEN_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_libc = ctypes.CDLL(None, use_errno=True)
_identity = threading.Lock()


@contextlib.contextmanager
def as_user(uid: int | None, gid: int | None) -> Iterator[None]:
    """File-system identity of ``uid:gid`` for the calling thread (a no-op unless root and asked)."""
    if uid is None or gid is None or os.geteuid() != 0:
        yield
        return
    with _identity:
        _libc.setfsgid(gid)
        _libc.setfsuid(uid)
        try:
            yield
        finally:
            _libc.setfsuid(0)
            _libc.setfsgid(0)


def _parts(relative: str) -> list[str]:
    parts = [p for p in relative.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        raise ProductError(f"{relative!r} is not a path inside the product's data folder")
    return parts


def _open_parent(root_fd: int, parts: list[str]) -> int:
    fd = os.dup(root_fd)
    try:
        for part in parts[:-1]:
            child = os.open(part, _OPEN_DIR, dir_fd=fd)
            os.close(fd)
            fd = child
    except OSError as exc:
        os.close(fd)
        raise _refused("/".join(parts), exc) from None
    return fd


def _refused(relative: str, exc: OSError) -> ProductError:
    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
        why = "it is (or goes through) a symbolic link the product planted"
    else:
        why = exc.strerror or str(exc)
    return ProductError(f"the harness refused to follow {relative!r} in the product's data folder: {why}")


class ProductFolder:
    """A product-writable folder on the host, opened once by the harness (a path it created)."""

    def __init__(self, path: Path, uid: int | None = None, gid: int | None = None) -> None:
        self.path = path
        self.uid, self.gid = uid, gid

    def _root(self) -> int:
        """The folder itself, opened with the harness's identity (its parents are the harness's own)."""
        return os.open(self.path, _OPEN_DIR)

    def files(self) -> list[str]:
        """Relative paths of the regular files, never descending into a link."""
        found: list[str] = []
        stack = [("", self._root())]
        with as_user(self.uid, self.gid):
            while stack and len(found) < MAX_FILES:
                prefix, fd = stack.pop()
                try:
                    for entry in sorted(os.listdir(fd)):
                        info = os.stat(entry, dir_fd=fd, follow_symlinks=False)
                        if stat.S_ISREG(info.st_mode):
                            found.append(prefix + entry)
                        elif stat.S_ISDIR(info.st_mode):
                            with contextlib.suppress(OSError):
                                stack.append((f"{prefix}{entry}/", os.open(entry, _OPEN_DIR, dir_fd=fd)))
                except OSError:
                    pass
                finally:
                    os.close(fd)
            for _, fd in stack:
                os.close(fd)
        return sorted(found)

    def _open_file(self, relative: str, flags: int) -> int:
        parts = _parts(relative)
        root = self._root()
        try:
            with as_user(self.uid, self.gid):
                parent = _open_parent(root, parts)
        finally:
            os.close(root)
        try:
            with as_user(self.uid, self.gid):
                fd = os.open(parts[-1], flags | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=parent)
        except OSError as exc:
            raise _refused(relative, exc) from None
        finally:
            os.close(parent)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise ProductError(f"the harness refused {relative!r} in the product's data folder: not a regular file")
        return fd

    def read(self, relative: str, limit: int = MAX_READ) -> bytes:
        fd = self._open_file(relative, os.O_RDONLY)
        try:
            if os.fstat(fd).st_size > limit:
                raise ProductError(f"{relative!r} in the product's data folder is larger than {limit} bytes")
            chunks, size = [], 0
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise ProductError(f"{relative!r} in the product's data folder grew past {limit} bytes")
            return b"".join(chunks)
        finally:
            os.close(fd)

    def write(self, relative: str, content: bytes) -> None:
        """Replace the content of an existing regular file (never creates one, never follows a link)."""
        fd = self._open_file(relative, os.O_WRONLY)
        try:
            os.ftruncate(fd, 0)
            view = memoryview(content)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)


def open_socket(folder: Path, name: str, uid: int | None) -> int:
    """An ``O_PATH`` descriptor of the socket ``folder/name``, which must be a socket (not a link to one) owned
    by ``uid``; connect through ``/proc/self/fd/N`` so the exact inode that was checked is the one reached.
    FileNotFoundError while the product has not bound it yet; ProductError when something else is there."""
    parent = os.open(folder, _OPEN_DIR)
    try:
        fd = os.open(name, os.O_PATH | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=parent)
        info = os.fstat(fd)
        problem = ""
        if stat.S_ISLNK(info.st_mode):
            problem = f"a symbolic link to {os.readlink(name, dir_fd=parent)}"
        elif not stat.S_ISSOCK(info.st_mode):
            problem = "not a socket"
        elif uid is not None and info.st_uid != uid:
            problem = f"a socket owned by uid {info.st_uid}, not the container's user {uid}"
    finally:
        os.close(parent)
    if problem:
        os.close(fd)
        raise ProductError(f"the product's {name} is {problem}; the harness connects only to a socket the "
                           "product bound itself in the folder the harness created")
    return fd


def mount_tmpfs(path: Path, size_mb: int, uid: int, gid: int) -> bool:
    """Mount a size-limited tmpfs on ``path`` (root only); False when this harness cannot mount."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0755,uid={uid},gid={gid},"
                           "nosuid,nodev,noexec", "sbx-data", str(path)], capture_output=True, check=False)
    return done.returncode == 0


def release_folder(folder: Path) -> None:
    """Unmount whatever the run mounted under ``folder`` and remove it, following no link."""
    if os.geteuid() == 0 and folder.is_dir() and not folder.is_symlink():
        with contextlib.suppress(OSError):
            mounts = Path("/proc/self/mounts").read_text().splitlines()
            prefix = str(folder) + "/"
            for target in sorted((line.split()[1] for line in mounts if line.split()[1].startswith(prefix)),
                                 reverse=True):
                subprocess.run(["umount", "-l", target], capture_output=True, check=False)
    shutil.rmtree(folder, ignore_errors=True)
