"""Verdicts that depend only on a document's text, kept between runs so that a run over unchanged schemas
need not import frictionless or jsonschema at all (together 0.4 s of a 1.5 s run on the real package).

A verdict is keyed by the SHA-256 of what it is computed from: the kind of check, the document's text and
the version of the code that computes it (frictionless's version for its profiles, the extension module's
own bytes for ours). A changed schema, a new frictionless or an edited extension therefore has another key
and is checked afresh: a cached verdict is exactly the one the check would give. The cache lives outside the
package (the validator never writes into what it checks): `$CAS_CACHE_DIR`, else
`$XDG_CACHE_HOME/central-asia-space`, else `~/.cache/central-asia-space`; `CAS_CACHE_DIR=off` turns it off.
An unreadable, corrupt or unwritable cache is ignored: the verdict is then computed, never guessed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def folder() -> Path | None:
    """Where verdicts are kept, or None when the cache is off."""
    chosen = os.environ.get("CAS_CACHE_DIR")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "central-asia-space"


@functools.cache
def code_version(distribution: str) -> str:
    """The installed version of a library, read from its metadata without importing it."""
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"


def cached(kind: str, text: str, salt: str, compute: Callable[[], list[str] | tuple[str, ...]]) -> tuple[str, ...]:
    """compute()'s messages for this text, from the cache when the same (kind, text, salt) was checked before."""
    where = folder()
    key = hashlib.sha256("\0".join((kind, salt, text)).encode("utf-8", "surrogatepass")).hexdigest()
    path = where / kind / f"{key}.json" if where is not None else None
    if path is not None:
        try:
            stored = json.loads(path.read_text("utf-8"))
            if isinstance(stored, list) and all(isinstance(m, str) for m in stored):
                return tuple(stored)
        except (OSError, ValueError):
            pass  # not cached yet, or unreadable: compute it
    verdict = tuple(compute())
    if path is not None:
        store(path, verdict)
    return verdict


def store(path: Path, verdict: tuple[str, ...]) -> None:
    """Write atomically (a reader never sees half a file); a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(list(verdict), out)
        os.replace(temporary, path)
    except OSError:
        pass
