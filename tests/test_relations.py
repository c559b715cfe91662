"""Relationships are facts: swapping any party, member, participant, contributor, country, event, series, programme,
parent, organiser or relationship of any row for another existing record, or moving an alias to another record, makes
the validation fail at that row and column, whether or not the note explains the column (issues 9 and 18).

Each swap picks a record that nothing the row could rest on names: not the record's quotes (an alias row: no quote of
its source names the alias and the record together), not the row's note. Swaps are batched: one run of the validator
swaps every row checked of every relation column at once (findings are per row and column, and a swap changes no name,
so they do not mask each other), and aliases, which change what names a record, are moved in a run of their own."""

from __future__ import annotations

import csv
import functools
import io
import shutil
from pathlib import Path

import polars as pl
from conftest import FIXTURE, ROOT, copy_package

from validate import text
from validate.model import Package, load
from validate.run import validate_package

RULES = {"relation-not-in-quote", "alias-not-stated"}


class Swaps:
    """The relation columns of one package, and its rows and words, read once (the swaps edit a copy)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.package: Package = load(root)[0]
        self.rows = {t: list(csv.DictReader(io.StringIO((root / "tables" / f"{t}.csv").read_text("utf-8")))) for t in self.package.tables}
        cells = sorted({v for rows in self.rows.values() for r in rows for v in r.values() if v})
        folded = pl.DataFrame({"cell": cells}, schema={"cell": pl.String}).select(text.as_words(text.fold_expr(pl.col("cell")).str.to_lowercase()))
        self.words = dict(zip(cells, folded.to_series().to_list(), strict=True))  # text.words_of of every cell, in one polars call

    def words_of(self, cell: str) -> str:
        return self.words[cell] if cell in self.words else text.words_of(cell)

    def columns(self) -> list[tuple[str, str, str]]:
        """(table, column, referenced table) of every foreign key to a named table in a cited, link or alias table."""
        cited = self.package.cited_tables()
        out = []
        for table in self.package.tables.values():
            if table.name not in cited and not table.cited_via and not table.aliases:
                continue
            skip = {table.cited_via, table.primary_key[0], (table.aliases or {}).get("source")}
            for fk in table.foreign_keys:
                target = self.package.tables.get(fk.resource)
                if len(fk.fields) == 1 and target is not None and target.names and fk.fields[0] not in skip:
                    out.append((table.name, fk.fields[0], fk.resource))
        return out

    @functools.cache  # noqa: B019 (one instance per package, kept for the session)
    def names(self, target: str, key: str, own: bool = False) -> tuple[str, ...]:
        """The words of a record's names, and (unless own) of its aliases from every source."""
        spec = self.package.tables[target]
        record = next(r for r in self.rows[target] if r[spec.primary_key[0]] == key)
        found = [record[n] for n in spec.names if record.get(n)]
        for alias_table in (t for t in self.package.tables.values() if t.aliases and not own):
            for fk in alias_table.foreign_keys:
                if fk.resource == target:
                    found += [a[alias_table.aliases["alias"]] for a in self.rows[alias_table.name] if a[fk.fields[0]] == key]
        return tuple(w for w in (self.words_of(n) for n in found) if w.strip())

    def quotes(self, table: str, row: dict[str, str]) -> list[str]:
        """The words of each quote the row rests on: its record's (a link row's parent's); an alias row's: its source's."""
        spec = self.package.tables[table]
        if spec.aliases:
            column, key = "source_id", row[spec.aliases["source"]]
        elif table in (cited := self.package.cited_tables()):
            column, key = cited[table], row[spec.primary_key[0]]
        else:
            parent = next(fk.resource for fk in spec.foreign_keys if fk.fields == [spec.cited_via])
            column, key = cited[parent], row[spec.cited_via]
        return [self.words_of(c["quote"]) for c in self.rows["citations"] if c[column] == key]

    def replacement(self, table: str, row: dict[str, str], column: str, target: str, taken: set[str]) -> str | None:
        """A record that neither the row's quotes nor its note name (an alias row: no quote has the alias with its name)."""
        spec = self.package.tables[table]
        quotes, note = self.quotes(table, row), self.words_of(row.get("note") or "")
        alias = self.words_of(row[spec.aliases["alias"]]) if spec.aliases else None
        pk = self.package.tables[target].primary_key[0]
        for record in self.rows[target]:
            key = record[pk]
            if key == row[column] or key in taken:
                continue
            names = self.names(target, key)
            if any(n in note for n in names):
                continue
            if alias is None and any(n in q for n in names for q in quotes):
                continue
            if alias is not None and any(alias in q and n in q for n in self.names(target, key, own=True) for q in quotes):
                continue
            return key
        return None

    def run(self, dest: Path, batch: list[tuple[str, str, str, int]]) -> list[tuple[str, str, int, str, str]]:
        """Swap each (table, column, target, row index) of the batch in a fresh copy; the swaps the validator missed."""
        shutil.rmtree(dest, ignore_errors=True)
        copy_package(dest, self.root)
        edited: dict[str, list[dict[str, str]]] = {}
        expected, taken = [], set()
        for table, column, target, i in batch:
            rows = edited.setdefault(table, [dict(r) for r in self.rows[table]])
            new = self.replacement(table, self.rows[table][i], column, target, taken)
            assert new is not None, f"no record to swap {table}.{column} row {i} for"
            if self.package.tables[table].aliases:
                taken.add(new)  # one alias moved to each record: another moved alias cannot name it
            rows[i][column] = new
            expected.append((table, column, i, self.rows[table][i][column], new))
        for table, rows in edited.items():
            buf = io.StringIO()
            writer = csv.DictWriter(buf, fieldnames=list(self.rows[table][0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            (dest / "tables" / f"{table}.csv").write_text(buf.getvalue(), "utf-8")
        hits = {(f.table, f.row, f.column) for f in validate_package(dest)[1] if f.rule in RULES}
        return [e for e in expected if (e[0], e[2], e[1]) not in hits]

    def batches(self, every_row: bool) -> list[list[tuple[str, str, str, int]]]:
        """Two runs: every filled row (every_row) or one row (a note-explained one where there is one) of every relation
        column at once, then of every alias column, since a moved alias changes what names a record."""
        out: list[list[tuple[str, str, str, int]]] = [[], []]
        for table, column, target in self.columns():
            rows = [i for i, r in enumerate(self.rows[table]) if r[column]]
            explained = [i for i in rows if f"{column}:" in (self.rows[table][i].get("note") or "")]
            out[bool(self.package.tables[table].aliases)] += [(table, column, target, i) for i in (rows if every_row else (explained or rows)[:1])]
        return [batch for batch in out if batch]

def unfilled(swaps: Swaps) -> list[tuple[str, str, str]]:
    return [c for c in swaps.columns() if not any(r[c[1]] for r in swaps.rows[c[0]])]


def test_every_relation_swap_in_the_fixture_fails_at_its_row(tmp_path):
    """Every filled row of every relation column of the fixture, swapped; the fixture fills every relation column."""
    swaps = Swaps(FIXTURE)
    assert len(swaps.columns()) >= 11 and not unfilled(swaps), unfilled(swaps)
    missing = [m for k, batch in enumerate(swaps.batches(every_row=True)) for m in swaps.run(tmp_path / f"round-{k}", batch)]
    assert not missing, f"swaps not reported (table, column, row, value, swapped for): {missing}"


def test_every_relation_column_of_the_package_is_checked(tmp_path):
    """One row of every relation column of the real package (a row whose note explains the column, where there is one),
    swapped: every swap is reported, with no column left out."""
    swaps = Swaps(ROOT)
    assert len(swaps.columns()) > 40
    missing = [m for k, batch in enumerate(swaps.batches(every_row=False)) for m in swaps.run(tmp_path / f"round-{k}", batch)]
    assert not missing, f"swaps not reported (table, column, row, value, swapped for): {missing}"
