"""The archived sources, read once: each file listed, guarded, read and hashed in one batch, and the rules of one archived
file (its hash, an excerpt's header, markup, a document's title) checked as it is read.

Not a rule module of the cross-table kind: provenance.check calls read_sources and hands the folded texts to the quote
rules.
"""

from __future__ import annotations

import hashlib
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

from .boundary import attempt
from .findings import Finding, shorten
from .model import FOLDERS, SHIPPED, SOURCES, Package
from .paths import read_regular
from .registry import rule
from .text import fold_texts


def read_sources(package: Package, sources: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, str], list[Finding]]:
    """Read and hash each archived file once; identical files are folded and searched once.

    The files are resolved in one batch: a path the run's walk of the package lists as its own regular file (reached
    through no symlink) is opened with O_NOFOLLOW and nothing else; only any other path goes through the path guard,
    which says why it is refused. The files are then read and hashed in two threads (hashlib and reads release the GIL).
    """
    found: list[Finding] = []
    heads = [pl.col(c).cast(pl.String) if c in sources.columns else pl.lit(None, dtype=pl.String).alias(c)
             for c in ("extent", "url", "url_checked_date", "title", "title_supplied")]
    rows = sources.select(pl.col("source_id", "path", "sha256").cast(pl.String), *heads).rows()
    listed_files = package.paths.listed_files(SHIPPED, FOLDERS)
    todo: list[tuple[int, Path | str, bool]] = []  # (row, path, follow a symlink)
    root = str(package.root)
    for i, (_, raw_path, *_) in enumerate(rows):
        if raw_path in listed_files:  # the walk's own relative paths ('sources/x.txt'): no '..', '/', './' or link
            todo.append((i, os.path.join(root, raw_path), False))
            continue
        path, why, missing = package.paths.file(raw_path)  # a symlink inside the package is read (the rule `symlink` reports it)
        if path is not None:
            todo.append((i, path, True))
        elif missing:
            found.append(Finding("source-file-missing", source_file_missing(raw_path), SOURCES, i + 2, "path", raw_path, row=i))
        else:
            found.append(Finding("path-unsafe", why, SOURCES, i + 2, "path", raw_path, row=i))
    halves = [todo[: len(todo) // 2], todo[len(todo) // 2:]]
    with ThreadPoolExecutor(max_workers=2) as pool:
        loaded = [item for half in pool.map(read_and_hash, halves) for item in half]
    folded: dict[str, str] = {}
    ids: list[str] = []
    digests: list[str] = []
    titled: list[tuple[int, str, str]] = []  # (row, title, digest) of the documents whose title is their own
    for i, digest, text, error in loaded:
        source_id, raw_path, recorded, extent, url, consulted, title, supplied = rows[i]
        line = i + 2
        if error:
            found.append(Finding("path-unsafe", f"{raw_path}: {error}", SOURCES, line, "path", raw_path, row=i))
            continue
        if digest != recorded:
            found.append(Finding("source-hash", source_hash(raw_path, digest, recorded), SOURCES, line, "sha256", recorded, row=i))
        if extent == "excerpt" and (why := excerpt_checked(text, url, consulted, found)):
            found.append(Finding("excerpt-header", why, SOURCES, line, "path", raw_path, row=i,
                                 hint=f"open the file with the lines 'Address: {url}' and 'Consulted: {consulted}'"))
        if extent == "document" and supplied != "true" and title:
            titled.append((i, title, digest))
        if str(raw_path).lower().endswith((".txt", ".md")):
            why, failed = attempt("excerpt-markup", SOURCES, excerpt_markup, text, default="")
            found += failed
            if why:
                found.append(Finding("excerpt-markup", why, SOURCES, line, "path", raw_path, row=i,
                                     hint="archive the text a reader sees (the page's text, not its HTML source), then its new sha256"))
        if digest not in folded:
            folded[digest] = text
        ids.append(source_id)
        digests.append(digest)
    texts = fold_texts(folded)
    titles = fold_texts({title: title for _, title, _ in titled})  # folded as the texts are, in one pass
    for i, title, digest in titled:  # searched in the texts as folded once for the quotes
        why, failed = attempt("title-not-printed", SOURCES, title_not_printed, titles[title], texts[digest], default="")
        found += failed
        if why:
            found.append(Finding("title-not-printed", why, SOURCES, i + 2, "title", title, row=i,
                                 hint="give the title the document prints, or set title_supplied to true for a title of the compilers'"))
    return pl.DataFrame({"source_id": ids, "digest": digests}, schema={"source_id": pl.String, "digest": pl.String}), texts, found


def read_and_hash(files: list[tuple[int, Path | str, bool]]) -> list[tuple[int, str, str, str]]:
    """(row, SHA-256, text, "") for each file, or (row, "", "", why) where it cannot be read as a regular file. Only the
    text is kept (the bytes are let go file by file)."""
    out = []
    for i, path, follow in files:
        try:
            data = read_regular(path, follow=follow)
        except OSError as exc:
            out.append((i, "", "", str(exc.strerror or exc)))
            continue
        out.append((i, hashlib.sha256(data).hexdigest(), data.decode("utf-8", errors="replace"), ""))
    return out


@rule("title-not-printed", "provenance")
def title_not_printed(title: str, text: str) -> str:
    """A whole archived document (`extent` document) whose title is its own (not `title_supplied`) prints that title:
    the title is in its text, compared case-insensitively with white space and typographic quotes folded. (An excerpt
    need not hold its page's headline, so excerpts are not checked.) Empty when it does."""
    found = re.search(re.escape(title), text, re.IGNORECASE) is not None
    return "" if found else f"the document does not print this title ({shorten(title, 80)!r})"


def excerpt_checked(text: str, url: str | None, consulted: str | None, found: list[Finding]) -> str:
    """excerpt_header through the error boundary (its rule-error added to found)."""
    why, failed = attempt("excerpt-header", SOURCES, excerpt_header, text, url, consulted, default="")
    found += failed
    return why


@rule("excerpt-header", "provenance")
def excerpt_header(text: str, url: str | None, consulted: str | None) -> str:
    """An archived excerpt of a public page opens with the lines `Address: <url>` and `Consulted: <url_checked_date>`,
    equal to its sources row, so that the file alone says where and when it was copied; empty when it does."""
    lines = text.split("\n", 2)
    expected = [f"Address: {url or ''}", f"Consulted: {consulted or ''}"]
    for got, want in zip([*lines, "", ""], expected, strict=False):
        if got.rstrip("\r") != want:
            return f"the excerpt's header has {got[:120]!r} where its sources row gives {want!r}"
    return ""


MARKUP = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--|<!doctype|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});",
                    re.IGNORECASE)  # a tag, a comment, a doctype or a character entity; linear: no nested repetition


@rule("excerpt-markup", "provenance")
def excerpt_markup(text: str) -> str:
    """An archived text file (.txt, .md) holds the text a reader sees, not HTML markup (no tag, comment or character
    entity): a quote is searched in the whole file, so words that live only in a tag's attribute or a script would
    otherwise pass as quoted.

    Returns why, or "" when it holds no markup."""
    found = MARKUP.search(text)
    if found is None:
        return ""
    return (f"the archived text holds HTML markup, {shorten(found.group(0), 60)!r} on its line {text.count(chr(10), 0, found.start()) + 1}: "
            "a quote may be found in a tag rather than in the text")


@rule("source-file-missing", "provenance")
def source_file_missing(raw_path: str) -> str:
    """Each source's archived file exists inside the package."""
    return f"archived file {raw_path} does not exist"


@rule("source-hash", "provenance")
def source_hash(raw_path: str, digest: str, recorded: str) -> str:
    """Each archived file's SHA-256 equals the one the sources table records."""
    return f"SHA-256 of {raw_path} is {digest}, the table says {recorded}: the archived file was changed after it was recorded"
