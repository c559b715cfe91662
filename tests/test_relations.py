"""Relationships are facts: swapping any party, member, participant, contributor or country of any row for another
existing record, without a note, makes the validation fail at that row (issue 9). One case per such column."""

from __future__ import annotations

import csv
import functools
import io

import polars as pl
from conftest import ROOT, run_validator
from edit import line_of, set_cell

from validate import text
from validate.model import load

PACKAGE, _ = load(ROOT)


@functools.cache
def rows(table: str) -> list[dict[str, str]]:
    """The real package's rows, read once (they are only read: the swaps edit a copy)."""
    return list(csv.DictReader(io.StringIO((ROOT / "tables" / f"{table}.csv").read_text("utf-8"))))


@functools.cache
def all_words() -> dict[str, str]:
    """text.words_of of every cell of the package (quotes, names, aliases), in one polars call instead of one per string."""
    cells = sorted({v for t in PACKAGE.tables for r in rows(t) for v in r.values() if v})
    folded = pl.DataFrame({"cell": cells}, schema={"cell": pl.String}).select(text.as_words(text.fold_expr(pl.col("cell")).str.to_lowercase()))
    found = dict(zip(cells, folded.to_series().to_list(), strict=True))
    assert all(found[c] == text.words_of(c) for c in cells[:: max(1, len(cells) // 20)]), "words_of is no longer as_words(fold(...))"
    return found


def words_of(cell: str) -> str:
    known = all_words()
    return known[cell] if cell in known else text.words_of(cell)


def relation_columns() -> list[tuple[str, str, str]]:
    """(table, column, referenced table) for every foreign key to a named table in a cited or link table."""
    cited = PACKAGE.cited_tables()
    out = []
    for table in PACKAGE.tables.values():
        if table.name not in cited and not table.cited_via:
            continue
        for fk in table.foreign_keys:
            target = PACKAGE.tables.get(fk.resource)
            if len(fk.fields) == 1 and target is not None and target.names and fk.fields[0] not in (table.cited_via, table.primary_key[0]):
                out.append((table.name, fk.fields[0], fk.resource))
    return out


def quotes_of(table: str, row: dict[str, str]) -> str:
    """The words of every quote of the row's record (its own citations, or its parent's for a link row)."""
    spec = PACKAGE.tables[table]
    cited = PACKAGE.cited_tables()
    if table in cited:
        column, key = cited[table], row[spec.primary_key[0]]
    else:
        parent = next(fk.resource for fk in spec.foreign_keys if fk.fields == [spec.cited_via])
        column, key = cited[parent], row[spec.cited_via]
    return " ".join(words_of(c["quote"]) for c in rows("citations") if c[column] == key)


def names(target: str, key: str) -> list[str]:
    spec = PACKAGE.tables[target]
    record = next(r for r in rows(target) if r[spec.primary_key[0]] == key)
    found = [record[n] for n in spec.names if record.get(n)]
    for alias_table in (t for t in PACKAGE.tables.values() if t.aliases):
        for fk in alias_table.foreign_keys:
            if fk.resource == target:
                found += [a[alias_table.aliases["alias"]] for a in rows(alias_table.name) if a[fk.fields[0]] == key]
    return found


def explained(note: str, column: str) -> bool:
    return note.startswith(f"{column}:") or f". {column}:" in note or f"; {column}:" in note


def swap(package, table: str, column: str, target: str) -> tuple[str, int, str] | None:
    """Swap the column's value on one row for a record its quotes do not name; the expected finding, or None."""
    filled = [r for r in rows(table) if r[column]]
    if not filled:
        return None
    row = next((r for r in filled if not explained(r.get("note", ""), column)), filled[0])
    key = row[PACKAGE.tables[table].primary_key[0]]
    if explained(row.get("note", ""), column):  # every such row explains the column: take the explanation away too
        set_cell(package, table, key, "note", "")
    words = quotes_of(table, row)
    pk = PACKAGE.tables[target].primary_key[0]
    replacement = next(r[pk] for r in rows(target)
                       if r[pk] != row[column] and not any(words_of(n).strip() and words_of(n) in f" {words} " for n in names(target, r[pk])))
    set_cell(package, table, key, column, replacement)
    return table, line_of(package, table, key), column


def test_every_swapped_relation_fails_at_its_row(package):
    """One swap per relation column, all in one copy and one run (findings are per row and column, so they do not mask
    each other); every swap must be reported at its row and column."""
    columns = relation_columns()
    assert len(columns) > 25
    expected = [e for e in (swap(package, *c) for c in columns) if e is not None]
    assert len(expected) >= len(columns) - 3  # the few relation columns no row fills yet
    hits = {(h["table"], h["line"], h["column"]) for h in run_validator(package).at("relation-not-in-quote")}
    missing = [e for e in expected if e not in hits]
    assert not missing, f"swaps not reported: {missing}"
