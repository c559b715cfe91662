"""Every path the validator opens is resolved here, for one run: inside the package, and a regular file.

A PathGuard lives for one run only, so a symlink swapped between two runs in one process is seen by
the second (issue 8: the old process-wide cache could miss it). Nothing that is not a regular file
(a named pipe, a device, a socket, a folder) is ever opened: a pipe would block the run for ever.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
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
        self._listings: dict[tuple[tuple[str, ...], tuple[str, ...]], list[Entry]] = {}

    def listing(self, shipped: tuple[str, ...], folders: tuple[str, ...]) -> list[Entry]:
        """`walk` of the package, taken once per run: the layout rules and the reading of archived files share it."""
        if (shipped, folders) not in self._listings:
            self._listings[shipped, folders] = walk(self.root, shipped, folders)
        return self._listings[shipped, folders]

    def listed_files(self, shipped: tuple[str, ...], folders: tuple[str, ...]) -> set[str]:
        """The package's own regular files under `folders`, as '/'-separated relative paths: reached through no symlink,
        so a path in this set needs no further check before it is opened (with O_NOFOLLOW, which refuses a swap)."""
        return {e.path for e in self.listing(shipped, folders) if e.kind == "file"}

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

    def own_file(self, raw: object) -> tuple[Path | None, str]:
        """(path, "") for a regular file of the package reached through no symlink at all (neither the file nor a folder on
        its way, even one inside the package), else (None, why): what a release reads (validate/release.py)."""
        path, why, _ = self.file(raw)
        if path is None:
            return None, why
        if os.path.realpath(path) != os.path.join(self.real_root, os.path.normpath(str(raw))):
            return None, f"{raw} is reached through a symbolic link; a release holds only the package's own regular files"
        return path, ""


@dataclass(frozen=True)
class Entry:
    path: str  # relative to the package, '/'-separated
    kind: str  # 'file', 'symlink', or what else it is ('a named pipe', 'an unreadable folder: ...')
    target: str = ""  # where a symlink points, as it is written


def walk(root: Path, shipped: tuple[str, ...], folders: tuple[str, ...]) -> list[Entry]:
    """The top-level files of `shipped` that are symlinks, and every entry under `folders`, sorted; no symlink is followed
    (a symlinked folder is listed, not entered) and nothing is opened."""
    out: list[Entry] = [Entry(name, "symlink", read_link(root / name)) for name in shipped if os.path.islink(root / name)]
    stack = [name for name in folders if os.path.lexists(root / name)]
    while stack:
        folder = stack.pop()
        if os.path.islink(root / folder):
            out.append(Entry(folder, "symlink", read_link(root / folder)))
            continue
        try:
            with os.scandir(root / folder) as listing:
                entries = list(listing)
        except OSError as exc:
            out.append(Entry(folder, f"an unreadable folder ({exc.strerror})"))
            continue
        for entry in entries:
            relative = f"{folder}/{entry.name}"
            if entry.is_symlink():
                out.append(Entry(relative, "symlink", read_link(Path(entry.path))))
            elif entry.is_dir(follow_symlinks=False):
                stack.append(relative)
            else:
                out.append(Entry(relative, kind_of(entry)))
    return sorted(out, key=lambda e: e.path)


def read_link(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def kind_of(entry: os.DirEntry) -> str:
    try:
        return mode_kind(entry.stat(follow_symlinks=False).st_mode)
    except OSError as exc:
        return f"unreadable ({exc.strerror})"


def file_kind(path: Path) -> str:
    """'file', 'missing', or what else the path is, without opening it."""
    try:
        return mode_kind(os.stat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    except OSError as exc:
        return f"unreadable: {exc.strerror}"


def mode_kind(mode: int) -> str:
    """'file', or what else a file mode says the path is."""
    for test, kind in ((stat.S_ISREG, "file"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "a device or other special file"


def read_regular(path: Path | str, limit: int | None = None, follow: bool = True) -> bytes:
    """Read a file that file_kind has seen as regular, re-checking on the open handle (O_NONBLOCK: a pipe swapped
    in since then cannot block the open, and fstat refuses it). With follow=False a symlink swapped in is refused too
    (O_NOFOLLOW). Plain os.read calls, sized by fstat: no file object (a third of the cost on 100k small files)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0)))
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(f"{path} is not a regular file")
        chunks, got = [], 0
        while limit is None or got < limit:
            size = max(status.st_size - got + 1, 1 << 16) if limit is None else limit - got
            chunk = os.read(fd, size)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)
