"""Consistency with the cited sources: archived files, hashes, verbatim quotes, key facts, dates.

No source is fetched: only the archived copies under sources/ are read.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import polars as pl

from .extensions import CITATIONS, COUNTRIES, SOURCES
from .findings import Finding
from .hygiene import cell_findings
from .integrity import cited_tables
from .package import safe_path
from .pandera_schemas import precision_prefix

TYPOGRAPHIC = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "}
CARDINALS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
             "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth",
            "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"]
ROMANS = ["ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"]
# 'i' is left out of ROMANS: in English text it is a word, not a number.
NUMBER_WORDS = ({w: str(i) for i, w in enumerate(CARDINALS)} | {w: str(i) for i, w in enumerate(ORDINALS, 1)}
                | {w: str(i) for i, w in enumerate(ROMANS, 2)})


def fold_text(text: str) -> str:
    """A source text folded exactly as the quotes are (one implementation: fold_expr)."""
    return pl.select(fold_expr(pl.lit(text, dtype=pl.String))).item()


def fold_expr(expr: pl.Expr) -> pl.Expr:
    """The same folding as fold_text, vectorised: typographic quotes in one pass, then only real runs of white space."""
    return (expr.str.replace_many(list(TYPOGRAPHIC), list(TYPOGRAPHIC.values()))
            .str.replace_all(r"\s\s+|[^\S ]", " ").str.strip_chars())


NUMBER_TOKEN = r"\d+|\b(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b"


def number_tokens(expr: pl.Expr) -> pl.Expr:
    """The numbers a lowercased text states, as strings: digits, number words, ordinals and Roman numerals."""
    return expr.str.extract_all(NUMBER_TOKEN).list.eval(pl.element().replace(NUMBER_WORDS))


def read_and_hash(path: Path) -> tuple[str, bytes] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return hashlib.sha256(data).hexdigest(), data


def source_files(root: Path, sources: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, str], list[Finding]]:
    """Check each archived file; return source_id -> content digest for the readable ones, and digest -> folded text.

    Identical files are folded once. (Reading and hashing in two threads was measured slower than this loop.)
    """
    real_root = os.path.realpath(root)
    found: list[Finding] = []
    safe: list[tuple[int, str, str, str, Path]] = []
    for i, (source_id, raw_path, recorded) in enumerate(sources.select("source_id", "path", "sha256").iter_rows()):
        path, why = safe_path(root, raw_path, real_root)
        if path is None:
            found.append(Finding("path-unsafe", why, SOURCES, i + 2, "path", raw_path))
        else:
            safe.append((i + 2, source_id, raw_path, recorded, path))
    contents = [read_and_hash(item[-1]) for item in safe]
    texts: dict[str, str] = {}
    ids: list[str] = []
    digests: list[str] = []
    for (line, source_id, raw_path, recorded, _), content in zip(safe, contents, strict=True):
        if content is None:
            found.append(Finding("source-file-missing", f"archived file {raw_path} does not exist", SOURCES, line, "path", raw_path))
            continue
        digest, data = content
        if digest != recorded:
            found.append(Finding("source-hash", f"SHA-256 of {raw_path} is {digest}, the table says {recorded}",
                                 SOURCES, line, "sha256", recorded))
        if digest not in texts:
            texts[digest] = fold_text(data.decode("utf-8", errors="replace"))
        ids.append(source_id)
        digests.append(digest)
    return pl.DataFrame({"source_id": ids, "digest": digests}, schema={"source_id": pl.String, "digest": pl.String}), texts, found


def quotes_in_sources(citations: pl.DataFrame, digests: pl.DataFrame, texts: dict[str, str]) -> list[Finding]:
    """Each distinct (source text, quote) pair is searched once, one source text at a time."""
    pairs = citations.select("source_id", "folded").join(digests, on="source_id", how="inner").select("digest", "folded").unique()
    missing = []
    for (digest,), group in pairs.partition_by("digest", as_dict=True).items():
        missing.append(group.filter(~pl.lit(texts[digest]).str.contains(pl.col("folded"), literal=True)))
    if not missing:
        return []
    bad = pl.concat(missing).unique()
    if bad.height == 0:
        return []
    failing = (citations.with_row_index("__row").join(digests, on="source_id", how="inner").join(bad, on=["digest", "folded"], how="semi")
               .select("__row", "quote").sort("__row"))
    return cell_findings(CITATIONS, "quote-not-in-source", "quote", failing, "quote not found verbatim in its source: {value!r}")


def as_words(lowered: pl.Expr) -> pl.Expr:
    """' words and numbers separated by single spaces ': matching ' value ' in it is matching whole words."""
    return pl.concat_str([pl.lit(" "), lowered.str.replace_all(r"[^\p{L}\p{N}]+", " ").str.strip_chars(), pl.lit(" ")])


def citations_of(dated: pl.DataFrame, column: str, key: str) -> pl.DataFrame:
    """One row per citation of the records whose key is in `column`: key, words of the quote, its numbers, the source's date."""
    return dated.filter(pl.col(column).is_not_null()).select(pl.col(column).alias(key), "words", "numbers", "published_date")


MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]


def has_number(number: pl.Expr) -> pl.Expr:
    return pl.col("numbers").str.contains(pl.concat_str([pl.lit(" "), number, pl.lit(" ")]), literal=True)


def in_words(*parts: pl.Expr | str) -> pl.Expr:
    return pl.col("words").str.contains(pl.concat_str([pl.lit(" "), *[pl.lit(p) if isinstance(p, str) else p for p in parts], pl.lit(" ")]),
                                        literal=True)


def date_in_quotes(value: pl.Expr) -> pl.Expr:
    """A partial date is in the quotes at its precision: the year; a month written with its year ('September 2025',
    '2025-09', '09.2025'); a day written with its month ('March 28, 1947', '25 June 2025', '2025-06-25', '05.09.2025').

    This is what catches a month or day padded onto a date the source gives less precisely.
    """
    length = value.str.len_chars()
    year, month, day = value.str.slice(0, 4), value.str.slice(5, 2), value.str.slice(8, 2)
    name = month.cast(pl.Int8, strict=False).replace_strict(dict(enumerate(MONTHS, 1)), default="?", return_dtype=pl.String)
    d = day.str.strip_chars_start("0")
    month_ok = in_words(name, " ", year) | in_words(year, " ", month) | in_words(month, " ", year)
    day_ok = (in_words(name, " ", d) | in_words(d, " ", name) | in_words(year, " ", month, " ", day)
              | in_words(day, " ", month, " ", year))
    return (has_number(year) & ((length < 7) | month_ok | ((length == 10) & day_ok)) & ((length < 10) | day_ok))


def quoted_fields(schema: dict) -> list[tuple[str, str, str | None]]:
    """(column, kind, unless) for each field whose values must appear in the quotes."""
    out = []
    for field in schema["fields"]:
        spec = field.get("x-quoted")
        if spec:
            kind, unless = (spec, None) if isinstance(spec, str) else (spec["kind"], spec.get("unless"))
            out.append((field["name"], kind, unless))
    return out


def facts_in_quotes(name: str, frame: pl.DataFrame, schema: dict, cites: pl.DataFrame, key: str) -> list[Finding]:
    """Each x-quoted value must occur in one of its record's quotes, unless the row's note explains it (`column: ...`).

    The values (short) are joined onto the citations (long quotes, never copied: polars strings are views),
    searched there, and the answers gathered per row. A link table is first reduced to its distinct
    (record, values) combinations, so that many rows per parent cost little.
    """
    fields = quoted_fields(schema)
    if not fields:
        return []
    columns = [c for c, _, _ in fields]
    extra = [u for _, _, u in fields if u] + (["note"] if "note" in frame.columns else [])
    rows = frame.select(key, *dict.fromkeys(columns + extra))
    if schema.get("primaryKey") != [key]:
        rows = rows.unique()
    rows = rows.with_row_index("__r")
    present = []
    for column, kind, _ in fields:
        value = pl.col(column).cast(pl.String)
        if kind == "text":
            hit = pl.col("words").str.contains(as_words(fold_expr(value).str.to_lowercase()), literal=True)
        elif kind == "year":
            hit = date_in_quotes(value)
        else:
            hit = has_number(value)
        present.append(hit.fill_null(False).any().alias(f"__in_{column}"))
    found_in = cites.join(rows.select("__r", key, *columns), on=key, how="inner").group_by("__r").agg(present)
    checked = rows.join(found_in, on="__r", how="left")
    note = pl.col("note").fill_null("") if "note" in frame.columns else pl.lit("")
    found: list[Finding] = []
    for column, _, unless in fields:
        # the explanation is a clause of the note that starts with the column's name: 'start_date: ...'
        explained = note.str.contains(rf"(?:^|[.;] ){column}:")
        bad = pl.col(column).is_not_null() & ~pl.col(f"__in_{column}").fill_null(False) & ~explained
        if unless:
            bad = bad & ~pl.col(unless).fill_null(False)
        wrong = checked.filter(bad).select(key, column)
        if wrong.height == 0:
            continue
        failing = (frame.with_row_index("__row").select("__row", key, column).join(wrong, on=[key, column], how="semi", nulls_equal=True)
                   .select("__row", pl.col(column).cast(pl.String)).sort("__row"))
        found += cell_findings(name, "fact-not-in-quote", column, failing,
                               f"{{value!r}} is not in the row's quotes and the note has no '{column}:' explanation")
    return found


def dates_after_source(name: str, frame: pl.DataFrame, schema: dict, cites: pl.DataFrame, key: str) -> list[Finding]:
    found: list[Finding] = []
    dates = cites.select(key, "published_date").drop_nulls("published_date")
    for rule in schema.get("x-rules", []):
        if rule["rule"] != "not-after-source":
            continue
        column = rule["field"]
        when = pl.lit(True)
        for col, values in rule.get("when", {}).items():
            when = when & pl.col(col).is_in(values).fill_null(False)
        rows = frame.with_row_index("__row").filter(when & pl.col(column).is_not_null()).select("__row", key, column)
        value, reported = precision_prefix(pl.col(column), pl.col("published_date"))
        late = (rows.join(dates, on=key, how="inner").filter(value > reported)
                .group_by("__row").agg(pl.col(column).first()).sort("__row"))
        found += cell_findings(name, "date-after-source", column, late.select("__row", column),
                               "{value!r} is after the date of a source that reports it as past")
    return found


def country_codes(frames: dict[str, pl.DataFrame]) -> list[Finding]:
    import pycountry  # imported lazily

    countries = frames.get(COUNTRIES)
    if countries is None:
        return []
    iso = {c.alpha_3 for c in pycountry.countries}
    bad = countries.with_row_index("__row").filter(~pl.col("country_id").is_in(list(iso))).select("__row", "country_id")
    return cell_findings(COUNTRIES, "country-code", "country_id", bad, "{value!r} is not an ISO 3166-1 alpha-3 code")


def check(root: Path, frames: dict[str, pl.DataFrame], schemas: dict[str, dict]) -> list[Finding]:
    found = country_codes(frames)
    sources, citations = frames.get(SOURCES), frames.get(CITATIONS)
    if sources is None or citations is None:
        return found
    digests, texts, more = source_files(root, sources)
    direct = cited_tables(schemas)
    folded = citations.select(*direct.values(), "source_id", "quote", folded=fold_expr(pl.col("quote")))
    found += more + quotes_in_sources(folded, digests, texts)
    # one row per citation: its record keys, its quote folded and lowercased, the numbers it states, its source's date
    words = folded.select(*direct.values(), "source_id", words=as_words(pl.col("folded").str.to_lowercase()))
    del folded
    dated = (words.with_columns(numbers=number_tokens(pl.col("words")).list.join(" ").map_batches(lambda s: " " + s + " "))
             .join(sources.select("source_id", "published_date"), on="source_id", how="left"))
    del words
    for name, frame in frames.items():
        schema = schemas[name]
        if name in direct:
            pk = schema["primaryKey"][0]
            cites = citations_of(dated, direct[name], pk)
            found += facts_in_quotes(name, frame, schema, cites, pk) + dates_after_source(name, frame, schema, cites, pk)
        elif schema.get("x-cited-via") and quoted_fields(schema):
            via = schema["x-cited-via"]
            parent = next(fk["reference"]["resource"] for fk in schema["foreignKeys"] if fk["fields"] == [via])
            if parent in direct:
                found += facts_in_quotes(name, frame, schema, citations_of(dated, direct[parent], via), via)
    return found
