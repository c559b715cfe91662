"""Damage the validator cannot foresee still ends in a report and an exit code, never a traceback or validator-error;
a hostile schema is schema-invalid and a rule that fails is a rule-error, while every other rule still reports; and a
very large table is validated within bounded memory."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl
import pytest
from conftest import FIXTURE, ROOT, copy_package, run_validator
from edit import field as field_of
from edit import get_cell, raw, read_rows, schema, set_cell, set_raw, write_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validate.cells import CellCheck
from validate.findings import Finding
from validate.model import Field, load
from validate.registry import RULES
from validate.run import validate_package
from validate.schema_checks import Spec

FIXTURE_PACKAGE, _ = load(FIXTURE)
TABLES = sorted(FIXTURE_PACKAGE.tables)
# derandomize: the same examples on every run, so a failure reproduces and CI never goes red at random
SETTINGS = settings(max_examples=7, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None, derandomize=True)


def assert_reported(path: Path) -> None:
    result = run_validator(path)
    assert result.code in (0, 1, 2)
    assert "validator-error" not in result.rules(), result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@SETTINGS
@given(table=st.sampled_from(TABLES), data=st.data())
def test_random_bytes_never_crash(table, data):
    with tempfile.TemporaryDirectory() as tmp:
        pkg = copy_package(Path(tmp) / "pkg", FIXTURE)
        path = pkg / "tables" / f"{table}.csv"
        raw = bytearray(path.read_bytes())
        for _ in range(data.draw(st.integers(1, 8))):
            at = data.draw(st.integers(0, len(raw) - 1))
            raw[at : at + 1] = data.draw(st.binary(min_size=0, max_size=4))
        path.write_bytes(bytes(raw))
        assert_reported(pkg)


def cell_values(field) -> st.SearchStrategy[str]:
    """Values drawn from what the schema allows and just beyond it: its enum, its type's edge cases, and any text."""
    edge = ["", "0", "-1", "1e400", "NaN", "true", "2025-02-30", "2025", "9999-12-31", "KAZ", "x" * 3000, "a\u202eb", "N/A"]
    values = [st.sampled_from(edge), st.text(max_size=20)]
    if "enum" in field.constraints:
        values.append(st.sampled_from([str(v) for v in field.constraints["enum"]]))
    return st.one_of(values)


@SETTINGS
@given(table=st.sampled_from(TABLES), data=st.data())
def test_any_package_generated_from_the_schemas_ends_in_a_report(table, data):
    with tempfile.TemporaryDirectory() as tmp:
        pkg = copy_package(Path(tmp) / "pkg", FIXTURE)
        rows = read_rows(pkg, table)
        fields = FIXTURE_PACKAGE.tables[table].fields
        for _ in range(data.draw(st.integers(1, 4))):
            r = data.draw(st.integers(1, len(rows) - 1))
            c = data.draw(st.integers(0, len(fields) - 1))
            rows[r][c] = data.draw(cell_values(fields[c]))
        if data.draw(st.booleans()):
            rows.append([data.draw(cell_values(f)) for f in fields])
        write_rows(pkg, table, rows)
        assert_reported(pkg)


def test_very_large_table_is_validated_in_bounded_memory(package):
    """300,000 valid rows (about 20 MB) with one bad row at the end: found at its line, memory bounded."""
    n = 300_000
    path = package / "tables" / "programme_areas.csv"
    header = path.read_bytes().split(b"\n")[0]
    body = b"".join(b"bulk-%d,kaz-national-ssa-system,space object tracking,\n" % i for i in range(n))
    path.write_bytes(header + b"\n" + body + b"bulk-last,kaz-national-ssa-system,asteroid mining,\n")
    size = path.stat().st_size
    child = ("import resource, runpy, sys\n"
             "sys.argv = ['validate', sys.argv[1], '--format', 'json']\n"
             "try:\n    runpy.run_module('validate', run_name='__main__')\n"
             "finally:\n    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, file=sys.stderr)\n")
    # a process of its own, for its own peak memory; the timeout only stops a hung run (conftest.run_subprocess)
    done = subprocess.run([sys.executable, "-c", child, str(package)], cwd=ROOT, capture_output=True, timeout=600, check=False)
    assert done.returncode == 1, done.stderr.decode()
    assert b'"line": 300002' in done.stdout and b"fact-not-in-quote" in done.stdout
    peak = int(done.stderr.decode().split()[-1])
    assert peak < 10 * size + 400_000_000, f"peak {peak / 1e6:.0f} MB for a {size / 1e6:.0f} MB table"


# every crash class of issue 17: a finding at its rule and table, and the rest of the run still reported -----------------------

def rename_column(pkg: Path, table: str, old: str, new: str) -> None:
    """Rename a column in its CSV header and wherever its Table Schema names it (fields, keys, x-rules, x-names)."""
    def renamed(node: object) -> object:
        if isinstance(node, dict):
            return {(new if k == old else k): renamed(v) for k, v in node.items()}
        if isinstance(node, list):
            return [renamed(v) for v in node]
        return new if node == old else node

    path = pkg / "schemas" / f"{table}.schema.json"
    path.write_text(json.dumps(renamed(json.loads(path.read_text("utf-8"))), indent=2), "utf-8")
    rows = read_rows(pkg, table)
    rows[0] = [new if c == old else c for c in rows[0]]
    write_rows(pkg, table, rows)


def plant(pkg: Path) -> tuple[str, str]:
    """An unrelated failure in a table none of the hostile schemas below touches: it must still be reported."""
    set_cell(pkg, "memberships", "kaz-cos", "role", "chair")
    return "enum", "memberships"


def validated(pkg: Path) -> list[Finding]:
    """The run itself, in-process: a crash fails the test with its traceback."""
    _, found = validate_package(pkg)
    assert "validator-error" not in {f.rule for f in found}
    return found


def assert_found(found: list[Finding], rule_id: str, table: str, *words: str) -> list[Finding]:
    hits = [f for f in found if f.rule == rule_id and f.table == table]
    assert hits, f"no {rule_id} at {table}: {[(f.rule, f.table, f.message) for f in found]}"
    assert any(all(w in f.message for w in words) for f in hits), [f.message for f in hits]
    return hits


def assert_hostile_schema_reported(pkg: Path, table: str, *words: str) -> None:
    planted = plant(pkg)
    found = validated(pkg)
    assert_found(found, "schema-invalid", table, *words)
    assert_found(found, *planted)
    assert "rule-error" not in {f.rule for f in found}, [f.message for f in found if f.rule == "rule-error"]


def add_rule(table: str, spec: dict):
    return lambda pkg: schema(pkg, table, lambda s: s.setdefault("x-rules", []).append(spec))


@pytest.mark.parametrize(("table", "spec", "words"), [
    ("events", {"rule": "not-before", "field": "edition", "other": "start_date"}, ("'edition'", "'integer'", "compares dates")),
    ("agencies", {"rule": "not-after-source", "field": "member_count"}, ("'member_count'", "compares dates")),
    ("agreements", {"rule": "not-before", "field": "subject", "other": "title"}, ("'subject'", "x-partial-date")),
], ids=["not-before-on-integer", "not-after-source-on-integer", "not-before-on-plain-string"])
def test_a_date_rule_on_a_field_that_is_not_a_date_is_schema_invalid(fixture, table, spec, words):
    add_rule(table, spec)(fixture)
    assert_hostile_schema_reported(fixture, table, *words)


def test_a_date_rule_on_date_typed_fields_is_checked(fixture):
    """not-before between two fields of type date (not strings): checked, and a row that breaks it is found."""
    add_rule("sources", {"rule": "not-before", "field": "url_checked_date", "other": "published_date"})(fixture)
    line = set_cell(fixture, "sources", "spaceland-almanac", "published_date", "2025-06-02")  # consulted 2025-06-01
    planted = plant(fixture)
    found = validated(fixture)
    assert line in {f.line for f in assert_found(found, "not-before", "sources", "url_checked_date is before published_date")}
    assert_found(found, *planted)
    assert "rule-error" not in {f.rule for f in found}


def test_not_after_source_on_a_date_typed_field_is_checked(fixture):
    """not-after-source on a field of type date: the date column is compared as its ISO text."""
    def date_typed(s: dict) -> None:
        founded = field_of(s, "founded_date")
        founded.update(type="date")
        founded.pop("x-partial-date")
        founded["constraints"].pop("pattern")
    schema(fixture, "agencies", date_typed)
    for key, date in (("cos", "1959-12-12"), ("ksa", "2001-03-03"), ("united-nations", "1945-10-24"), ("kenya-space-agency", "2017-03-23"),
                      ("spaceland-observatory", "1998-01-01")):
        if get_cell(fixture, "agencies", key, "founded_date"):
            set_cell(fixture, "agencies", key, "founded_date", date)
    line = set_cell(fixture, "agencies", "ksa", "founded_date", "2099-01-01")
    planted = plant(fixture)
    found = validated(fixture)
    assert "rule-error" not in {f.rule for f in found}, [f.message for f in found if f.rule == "rule-error"]
    assert line in {f.line for f in assert_found(found, "not-after-source", "agencies")}
    assert_found(found, *planted)


def test_required_if_comparing_an_integer_with_strings_is_schema_invalid(fixture):
    add_rule("events", {"rule": "required-if", "field": "city", "when": {"edition": ["1", "2"]}})(fixture)
    assert_hostile_schema_reported(fixture, "events", "when 'edition'", "'1'", "'integer'")


def test_a_minimum_written_as_a_string_is_schema_invalid(fixture):
    schema(fixture, "agencies", lambda s: field_of(s, "member_count")["constraints"].update(minimum="5"))
    assert_hostile_schema_reported(fixture, "agencies", "'member_count'", "minimum '5'", "'integer'")


@pytest.mark.parametrize(("table", "column", "values", "words"), [
    ("events", "status", ["held", "planned", 3], ("'status'", "[3]", "'string'")),
    ("agencies", "member_count", ["102", "103"], ("'member_count'", "'102'", "'integer'")),
    ("agreements", "title_supplied", [True, "false"], ("'title_supplied'", "'false'", "'boolean'")),
], ids=["mixed-types", "integers-as-strings", "boolean-and-string"])
def test_an_enum_of_values_not_of_the_field_type_is_schema_invalid(fixture, table, column, values, words):
    schema(fixture, table, lambda s: field_of(s, column).setdefault("constraints", {}).update(enum=values))
    assert_hostile_schema_reported(fixture, table, *words)


def test_an_enum_on_a_date_field_compares_dates(fixture):
    """An enum of ISO dates on a field of type date is compared as dates, and a value outside it is found."""
    schema(fixture, "sources", lambda s: field_of(s, "url_checked_date").setdefault("constraints", {}).update(enum=["2025-06-01", "2025-06-03"]))
    planted = plant(fixture)
    found = validated(fixture)
    assert [(h.line, h.value) for h in assert_found(found, "enum", "sources")] == [(4, "2025-06-02"), (5, "2025-06-02")]
    assert_found(found, *planted)
    assert "rule-error" not in {f.rule for f in found}


def test_a_foreign_key_from_an_integer_to_a_string_key_is_schema_invalid(fixture):
    schema(fixture, "agencies", lambda s: s["foreignKeys"].append({"fields": ["member_count"], "reference": {"resource": "events", "fields": ["event_id"]}}))
    assert_hostile_schema_reported(fixture, "agencies", "'member_count' is of type 'integer'", "events.event_id is of type 'string'")


def test_min_children_counting_by_a_key_of_another_type_is_schema_invalid(fixture):
    schema(fixture, "agreements", lambda s: s["x-rules"][0].update(unless={"basis": [1]}))
    assert_hostile_schema_reported(fixture, "agreements", "unless 'basis'", "[1]")


@pytest.mark.parametrize(("name", "words"), [
    ("__row", ("'__row'", "'__'", "reserved")),
    ("__q", ("'__q'", "'__'")),
    ("^name$", ("'^name$'", "pattern")),
    ("*", ("'*'", "pattern")),
], ids=["__row", "__q", "regex", "star"])
def test_a_field_name_polars_or_the_validator_would_misread_is_schema_invalid(fixture, name, words):
    """'__row' clashes with the validator's own row index; '^name$' is read by pl.col as a regular expression that selects
    the 'name' column, so a rule would check the wrong column and pass."""
    rename_column(fixture, "agencies", "acronym", name)
    assert_hostile_schema_reported(fixture, "agencies", *words)


@pytest.mark.parametrize(("table", "old", "new"), [
    ("sources", "sha256", "digest"), ("sources", "path", "file"), ("sources", "source_id", "id"), ("citations", "quote", "text"),
    ("countries", "country_id", "iso3"),
])
def test_a_renamed_column_the_provenance_rules_need_is_schema_invalid(fixture, table, old, new):
    rename_column(fixture, table, old, new)
    if table == "countries":  # every foreign key to countries names the old key
        for child in ("agencies", "aliases", "memberships", "agreement_parties", "events"):
            schema(fixture, child, lambda s: [fk["reference"].update(fields=[new]) for fk in s.get("foreignKeys", [])
                                              if fk["reference"]["resource"] == "countries"])
    if (table, old) == ("sources", "source_id"):
        for child in ("citations", "aliases"):
            schema(fixture, child, lambda s: [fk["reference"].update(fields=[new]) for fk in s.get("foreignKeys", [])
                                              if fk["reference"]["resource"] == "sources"])
    assert_hostile_schema_reported(fixture, table, "provenance", repr(old))


def test_a_header_name_with_a_comma_is_one_cell(fixture):
    """A quoted header name holding a comma is one cell: no false row-width on the header, and a real one is still found."""
    rename_column(fixture, "agreements", "subject", "subject, in brief")
    lines = raw(fixture, "agreements").split(b"\n")
    assert lines[0].count(b'"') == 2
    lines[1] += b","
    set_raw(fixture, "agreements", b"\n".join(lines))
    planted = plant(fixture)
    found = validated(fixture)
    assert {f.line for f in assert_found(found, "row-width", "agreements")} == {2}
    assert_found(found, *planted)
    assert not {"header-mismatch", "schema-invalid", "rule-error"} & {f.rule for f in found}


def raises(*args: object, **kwargs: object) -> None:
    raise RuntimeError("a bug in the rule")


def raising_cell_rule() -> CellCheck:
    """A cell rule whose expression fails when polars evaluates it (not when it is made)."""
    return CellCheck("never", mask=lambda col: col.str.to_integer(strict=True) > 0)


def raising_field_rule(f: Field) -> list[Spec]:
    """A field-constraint rule whose check fails when polars evaluates it, on every table with an integer column."""
    if f.type != "integer":
        return []
    return [Spec(pl.col(f.name).cast(pl.String).str.to_date("%Y", strict=True).is_not_null(), "range", "never")]


CROSS_TABLE = ["no-cycle", "act-order", "quote-supports-row", "claim-in-quote", "changelog-order"]  # one rule of each cross-table module


@pytest.mark.parametrize(("rule_ids", "function", "table"), [
    (CROSS_TABLE, raises, "datapackage.json"),  # rules that raise, run by the integrity, time, provenance, claims and changelog checks
    (["whitespace"], raises, "agencies"),  # a cell rule that cannot be made
    (["placeholder"], raising_cell_rule, "agencies"),  # a cell rule whose expression raises in the fused screen
    (["range"], raising_field_rule, "events"),  # a schema check whose expression raises in the clean path's select
    (["not-before"], raises, "memberships"),  # a row rule that cannot be made
], ids=["cross-table", "cell-made", "cell-screen", "schema-screen", "row-made"])
def test_a_rule_that_raises_is_a_rule_error_and_the_run_goes_on(fixture, monkeypatch, rule_ids, function, table):
    for rule_id in rule_ids:
        monkeypatch.setitem(RULES, rule_id, dataclasses.replace(RULES[rule_id], function=function))
    set_cell(fixture, "agencies", "ksa", "agency_type", "space-company")
    planted = plant(fixture)
    found = validated(fixture)
    for rule_id in rule_ids:
        assert_found(found, "rule-error", table, repr(rule_id), "RuntimeError" if function is raises else "")
    assert {e.value for e in found if e.rule == "rule-error"} == set(rule_ids)
    assert_found(found, *planted)
    assert_found(found, "enum", "agencies")
    if table != "datapackage.json":  # without quote-supports-row the fixture's other rules all pass
        assert not {f.rule for f in found} - {"enum", "rule-error"}, [(f.rule, f.table) for f in found]


def test_file_and_type_rules_that_raise_are_rule_errors_for_each_table(fixture, monkeypatch):
    import validate.csvfile
    import validate.types

    for module, name in ((validate.csvfile, "table_empty"), (validate.csvfile, "encoding_bom"), (validate.types, "type_failures")):
        monkeypatch.setattr(module, name, raises)
    planted = plant(fixture)
    found = validated(fixture)
    for rule_id in ("table-empty", "encoding-bom", "type"):
        assert_found(found, "rule-error", "events", repr(rule_id), "RuntimeError")
    tables = {rule_id: {e.table for e in found if e.rule == "rule-error" and e.value == rule_id} for rule_id in ("table-empty", "encoding-bom", "type")}
    assert tables["table-empty"] == tables["encoding-bom"] == set(FIXTURE_PACKAGE.tables)
    assert {"agencies", "events", "agreements", "sources"} <= tables["type"]  # the tables with a column that is not text
    assert_found(found, *planted)


def test_quotes_that_cannot_be_prepared_are_a_rule_error_for_each_rule_that_reads_them(fixture, monkeypatch):
    import validate.provenance

    monkeypatch.setattr(validate.provenance, "prepare", raises)
    set_cell(fixture, "countries", "KAZ", "region", "Western Asia")
    planted = plant(fixture)
    found = validated(fixture)
    errors = {e.value for e in found if e.rule == "rule-error"}
    assert {"quote-not-in-source", "fact-not-in-quote", "claim-in-quote", "preferred-value"} <= errors
    assert not errors & {"country-code", "country-region"}
    assert_found(found, "country-region", "countries")  # a provenance rule that reads no quote still runs
    assert_found(found, *planted)


def test_a_rule_error_is_reported_with_exit_code_1_not_as_a_validator_error(fixture, monkeypatch):
    monkeypatch.setitem(RULES, "foreign-key", dataclasses.replace(RULES["foreign-key"], function=raises))
    result = run_validator(fixture)
    assert result.code == 1 and result.rules() == {"rule-error"}, result.stdout
    (error,) = result.report["errors"]
    assert error["table"] == "datapackage.json" and error["value"] == "foreign-key"
    assert "'foreign-key'" in error["message"] and "RuntimeError: a bug in the rule" in error["message"]
