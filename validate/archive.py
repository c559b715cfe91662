"""The archived sources, read once: each file listed, guarded, read and hashed in one batch, and the rules of one archived
file (its hash, an excerpt's header, markup, a document's title) checked over every file at once.

Not a rule module of the cross-table kind: provenance.check calls read_sources and hands the folded texts to the quote
rules.
"""

from __future__ import annotations

import hashlib
import os
import re
import string
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from itertools import repeat
from pathlib import Path

import polars as pl

from .boundary import attempt
from .findings import Finding, shorten
from .model import FOLDERS, SHIPPED, SOURCES, Package
from .paths import read_regular
from .registry import rule
from .text import fold_texts, folded_nfc

HEADS = ("extent", "url", "url_checked_date", "title", "title_supplied")  # the columns of sources the file rules read
LOADED = {"row": pl.Int64, "digest": pl.String, "text": pl.String, "nfc": pl.String, "error": pl.String}
ORDER = ("path-unsafe", "source-hash", "excerpt-header", "excerpt-markup")  # a row's findings, in the order they are checked
ASCII_LOWER = dict(zip(string.ascii_uppercase, string.ascii_lowercase, strict=True))


def read_sources(package: Package, sources: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, list[Finding]]:
    """Read and hash each archived file once; identical files are folded and searched once.

    The files are resolved in one batch (`resolved`), then read and hashed in two threads (hashlib and reads release
    the GIL). Each rule of one file is then one vectorised step over the frame of every file read, through the error
    boundary one rule at a time; Python looks only at the rows a step flags, for the exact message (a Python loop over
    the 104,000 files of the 1M-row benchmark cost 2.3 s).
    """
    heads = [pl.col(c).cast(pl.String) if c in sources.columns else pl.lit(None, dtype=pl.String).alias(c) for c in HEADS]
    frame = sources.select(pl.int_range(pl.len(), dtype=pl.Int64).alias("row"), pl.col("source_id", "path", "sha256").cast(pl.String), *heads)
    todo, found = resolved(package, frame)
    halves = [todo[: len(todo) // 2], todo[len(todo) // 2:]]
    with ThreadPoolExecutor(max_workers=2) as pool:
        loaded = pl.concat([pl.DataFrame(half, schema=LOADED) for half in pool.map(read_and_hash, halves)])
    files = pl.concat([frame.select(pl.all().gather(loaded.get_column("row"))), loaded.drop("row")], how="horizontal")  # no text is copied
    unread = files.filter(pl.col("error") != "").select("row", "path", "error")
    per_row = [Finding("path-unsafe", f"{raw_path}: {error}", SOURCES, i + 2, "path", raw_path, row=i) for i, raw_path, error in unread.iter_rows()]
    files = (files.filter(pl.col("error") == "") if unread.height else files).drop("error")
    errors: list[Finding] = []
    for rule_id, step in (("source-hash", hash_mismatches), ("excerpt-header", bad_headers), ("excerpt-markup", markup_held)):
        got, failed = attempt(rule_id, SOURCES, step, files, default=[])
        per_row += got
        errors += failed
    found += sorted(per_row, key=lambda f: (f.row, ORDER.index(f.rule))) + errors
    folded = folded_once(files)
    titles, failed = attempt("title-not-printed", SOURCES, unprinted_titles, files, folded, default=[])
    found += titles + failed
    return files.select("source_id", "digest"), folded, found


def folded_once(files: pl.DataFrame) -> pl.DataFrame:
    """(digest, folded text) of each distinct file, in the order of the rows: identical files are folded once. The
    texts are not copied for it where no two files are the same and none changes under NFC (a valid package)."""
    distinct = files.filter(pl.col("digest").is_first_distinct()) if files.get_column("digest").is_duplicated().any() else files
    text = pl.coalesce("nfc", "text") if distinct.get_column("nfc").null_count() < distinct.height else pl.col("text")
    return distinct.select("digest", folded_nfc(text).alias("text"))  # the NFC of read_and_hash


def resolved(package: Package, frame: pl.DataFrame) -> tuple[list[tuple[int, Path | str, bool]], list[Finding]]:
    """(row, path, follow a symlink) of each file to read, in the order of the rows, and the findings of the paths that
    cannot be read.

    A path the run's walk of the package lists as its own regular file ('sources/x.txt': no '..', '/', './' or link) is
    taken as it is, in one vectorised step, and opened with O_NOFOLLOW; only any other path (none in a valid package)
    goes, one by one, through the path guard, which says why it is refused.
    """
    listed_files = pl.Series(list(package.paths.listed_files(SHIPPED, FOLDERS)), dtype=pl.String)
    own = pl.col("path").is_in(pl.lit(listed_files).implode()).fill_null(False)
    listed = frame.filter(own).select("row", pl.concat_str(pl.lit(os.path.join(package.root, "")), "path").alias("path"))
    todo: list[tuple[int, Path | str, bool]] = list(zip(listed.get_column("row").to_list(), listed.get_column("path").to_list(), repeat(False)))
    found: list[Finding] = []
    for i, raw_path in frame.filter(~own).select("row", "path").iter_rows():
        path, why, missing = package.paths.file(raw_path)  # a symlink inside the package is read (the rule `symlink` reports it)
        if path is not None:
            todo.append((i, path, True))
        elif missing:
            found.append(Finding("source-file-missing", source_file_missing(raw_path), SOURCES, i + 2, "path", raw_path, row=i))
        else:
            found.append(Finding("path-unsafe", why, SOURCES, i + 2, "path", raw_path, row=i))
    if len(todo) > listed.height:  # in the order of the rows, as the files will be checked
        todo.sort(key=lambda item: item[0])
    return todo, found


def read_and_hash(files: list[tuple[int, Path | str, bool]]) -> dict[str, list[int | str | None]]:
    """The columns of LOADED for each file: its row, SHA-256, text and, where NFC changes the text, its NFC (for the
    folding; the rules read the text as archived), or an error where it cannot be read as a regular file. Only the
    text is kept (the bytes are let go file by file)."""
    out: dict[str, list[int | str | None]] = {name: [] for name in LOADED}
    for i, path, follow in files:
        try:
            data = read_regular(path, follow=follow)
        except OSError as exc:
            digest, text, error = "", "", str(exc.strerror or exc)
        else:
            digest, text, error = hashlib.sha256(data).hexdigest(), data.decode("utf-8", errors="replace"), ""
        nfc = unicodedata.normalize("NFC", text)
        for name, value in zip(LOADED, (i, digest, text, nfc if nfc != text else None, error), strict=True):
            out[name].append(value)
    return out


def hash_mismatches(files: pl.DataFrame) -> list[Finding]:
    """source-hash over every file read: the rows whose SHA-256 is not the one recorded (or none is recorded)."""
    bad = files.filter(pl.col("digest").ne_missing(pl.col("sha256"))).select("row", "path", "digest", "sha256")
    return [Finding("source-hash", source_hash(raw_path, digest, recorded), SOURCES, i + 2, "sha256", recorded, row=i)
            for i, raw_path, digest, recorded in bad.iter_rows()]


def bad_headers(files: pl.DataFrame) -> list[Finding]:
    """excerpt-header over every excerpt read. An excerpt that opens with exactly its two lines (the row's address and
    date holding no line break or carriage return) passes; excerpt_header decides every other one, and says why."""
    url, consulted = pl.col("url").fill_null(""), pl.col("url_checked_date").fill_null("")
    header = pl.concat_str(pl.lit("Address: "), url, pl.lit("\nConsulted: "), consulted)
    text = pl.col("text")
    plain = ~(url.str.contains_any(["\n", "\r"]) | consulted.str.contains_any(["\n", "\r"]))
    opens = plain & (text.str.starts_with(pl.concat_str(header, pl.lit("\n"))) | (text == header))
    suspects = files.filter((pl.col("extent") == "excerpt") & ~opens).select("row", "path", "text", "url", "url_checked_date")
    found = []
    for i, raw_path, content, address, date in suspects.iter_rows():
        if why := excerpt_header(content, address, date):
            found.append(Finding("excerpt-header", why, SOURCES, i + 2, "path", raw_path, row=i,
                                 hint=f"open the file with the lines 'Address: {address}' and 'Consulted: {date}'"))
    return found


def markup_held(files: pl.DataFrame) -> list[Finding]:
    """excerpt-markup over every text file read: MARKUP_POLARS finds the files that hold markup in one pass, and
    excerpt_markup says where in each."""
    path = pl.col("path").str.to_lowercase()
    suspects = (files.filter((path.str.ends_with(".txt") | path.str.ends_with(".md")) & pl.col("text").str.contains(MARKUP_POLARS))
                .select("row", "path", "text"))
    found = []
    for i, raw_path, content in suspects.iter_rows():
        if why := excerpt_markup(content):
            found.append(Finding("excerpt-markup", why, SOURCES, i + 2, "path", raw_path, row=i,
                                 hint="archive the text a reader sees (the page's text, not its HTML source), then its new sha256"))
    return found


def unprinted_titles(files: pl.DataFrame, folded: pl.DataFrame) -> list[Finding]:
    """title-not-printed over every document whose title is its own, searched in the texts as folded once for the
    quotes. A title found in its text with ASCII letters' case ignored is printed (Python's case-insensitive match
    finds it too); title_not_printed decides every other one."""
    documents = files.filter((pl.col("extent") == "document") & pl.col("title_supplied").ne_missing("true")
                             & (pl.col("title").str.len_bytes() > 0)).select("row", "title", "digest")
    distinct = documents.get_column("title").unique(maintain_order=True).to_list()
    folded_titles = fold_texts(dict(zip(distinct, distinct, strict=True)))  # folded as the texts are, in one pass
    titles = pl.DataFrame({"title": list(folded_titles), "folded_title": list(folded_titles.values())}, schema={"title": pl.String, "folded_title": pl.String})
    candidates = (documents.join(titles, on="title", maintain_order="left")
                  .join(folded.rename({"text": "folded_text"}), on="digest", maintain_order="left"))
    lowered = pl.col("folded_text").str.replace_many(ASCII_LOWER)
    missed = candidates.filter(~lowered.str.contains(pl.col("folded_title").str.replace_many(ASCII_LOWER), literal=True))
    found = []
    for i, title, folded_title, folded_text in missed.select("row", "title", "folded_title", "folded_text").iter_rows():
        if why := title_not_printed(folded_title, folded_text):
            found.append(Finding("title-not-printed", why, SOURCES, i + 2, "title", title, row=i,
                                 hint="give the title the document prints, or set title_supplied to true for a title of the compilers'"))
    return found


@rule("title-not-printed", "provenance")
def title_not_printed(title: str, text: str) -> str:
    """A whole archived document (`extent` document) whose title is its own (not `title_supplied`) prints that title:
    the title is in its text, compared case-insensitively with white space and typographic quotes folded. (An excerpt
    need not hold its page's headline, so excerpts are not checked.) Empty when it does."""
    found = re.search(re.escape(title), text, re.IGNORECASE) is not None
    return "" if found else f"the document does not print this title ({shorten(title, 80)!r})"


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


def markup_pattern(letter: str, space: str) -> str:
    """A tag, a comment, a doctype or a character entity, with the classes of a letter and a white space given: linear,
    no nested repetition."""
    return (rf"</?[{letter}][{letter}0-9-]*(?:{space}[^<>]*)?/?>|<!--|<!doctype"
            rf"|&(?:[{letter}][{letter}0-9]{{1,31}}|#[0-9]{{1,7}}|#[xX][0-9A-Fa-f]{{1,6}});")


MARKUP = re.compile(markup_pattern("A-Za-z", r"\s"), re.IGNORECASE)
# The same language in polars' (Rust) regex, whose case-insensitive [A-Za-z] leaves out the Turkish İ and ı that
# Python's takes in, and whose \s leaves out \x1c-\x1f (tests/unit/test_archive.py compares them on every character).
MARKUP_POLARS = "(?i)" + markup_pattern(r"A-Za-z\x{130}\x{131}", r"[\s\x1c-\x1f]")


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
