"""Every path the validator opens is resolved here, for one run: inside the package, and a regular file.

A PathGuard lives for one run only, so a symlink swapped between two runs in one process is seen by
the second (issue 8: the old process-wide cache could miss it). Nothing that is not a regular file
(a named pipe, a device, a socket, a folder) is ever opened: a pipe would block the run for ever.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .registry import rule


@rule("path-unsafe", "package")
def path_unsafe(raw: object, root: Path, real_root: str, real_folders: dict[str, str]) -> str:
    """Paths are relative, inside the package (no `..`, no symlink out of it), not URLs, and name regular files.

    Returns why a path is refused, or "" when it is safe to resolve.
    """
    if not isinstance(raw, str) or not raw:
        return f"path {raw!r} is not a non-empty string"
    if "://" in raw or raw.startswith(("http:", "https:", "ftp:", "file:")):
        return f"path {raw!r} is a URL; only local files inside the package are allowed"
    if os.path.isabs(raw) or raw.startswith(("\\", "~")) or (len(raw) > 1 and raw[1] == ":"):
        return f"path {raw!r} is absolute"
    if ".." in Path(raw).parts or "\\" in raw or "\x00" in raw:
        return f"path {raw!r} climbs out of the package with '..', or uses backslashes or NUL"
    target = root / raw
    folder = str(target.parent)
    if folder not in real_folders:
        real_folders[folder] = os.path.realpath(folder)
    resolved = os.path.realpath(target) if target.is_symlink() else os.path.join(real_folders[folder], target.name)
    if resolved != real_root and not resolved.startswith(real_root + os.sep):
        return f"path {raw!r} leads outside the package (through a symlink)"
    return ""


class PathGuard:
    """Resolves package-relative paths for one validation run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self._folders: dict[str, str] = {}

    def resolve(self, raw: object) -> tuple[Path | None, str]:
        """The path inside the package, or None and why it is refused. Nothing is opened."""
        why = path_unsafe(raw, self.root, self.real_root, self._folders)
        return (None, why) if why else (self.root / str(raw), "")

    def file(self, raw: object) -> tuple[Path | None, str, bool]:
        """(path, why, missing): a safe path to an existing regular file, or None with the reason.

        `missing` tells a file that does not exist from one that must not be opened.
        """
        path, why = self.resolve(raw)
        if path is None:
            return None, why, False
        kind = file_kind(path)
        if kind == "missing":
            return None, f"{raw} does not exist", True
        if kind != "file":
            return None, f"{raw} is not a regular file ({kind}); it is refused before it is opened", False
        return path, "", False


def file_kind(path: Path) -> str:
    """'file', 'missing', or what else the path is, without opening it."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    except OSError as exc:
        return f"unreadable: {exc.strerror}"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device or other special file"


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """Read a file that file_kind has seen as regular, re-checking on the open handle (O_NONBLOCK: a pipe swapped
    in since then cannot block the open, and fstat refuses it)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read() if limit is None else handle.read(limit)
    finally:
        os.close(fd)
