"""Every defect class of the fault corpus is caught: its rule, at its table and line, with the right exit code; and where
frictionless's own checks cover the defect, the validator reports at least every place frictionless reports."""

from __future__ import annotations

import pytest
from conftest import FIXTURE, run_validator
from faults import FAULTS

from validate.rules import catalogue


def test_the_fixture_is_valid():
    result = run_validator(FIXTURE)
    assert result.code == 0, result.stdout


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_fault_is_reported_where_it_is(fixture, fault):
    line = fault.damage(fixture)
    result = run_validator(fixture)
    assert result.code == fault.exit_code, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "validator-error" not in result.rules(), result.stdout
    if fault.exit_code == 2:
        assert result.report["verdict"].startswith("UNREADABLE")
    unexpected = result.rules() - {fault.rule} - set(fault.also)
    assert not unexpected, f"the damage also triggered {sorted(unexpected)}: {result.stdout}"
    hits = [e for e in result.at(fault.rule) if e["table"] == fault.table]
    assert hits, f"{fault.rule} not reported for {fault.table}; got {result.stdout}"
    if line is not None:
        assert line in {e["line"] for e in hits}, f"expected line {line}, got {[e['line'] for e in hits]}"
    for rule, why in fault.also.items():
        assert why and rule in catalogue(), (rule, why)
    stale = set(fault.also) - result.rules()
    assert not stale, f"the fault lists {sorted(stale)} as triggered too, and they were not: {result.stdout}"
    if fault.rule in FRICTIONLESS_CHECKS:
        missed = not_reported(result.report["errors"], frictionless_places(fixture, fault.table), fixture)
        assert not missed, f"frictionless reports {missed}, the validator does not: {result.stdout}"


# The rules of ours that frictionless's own checks also make (its type, constraint, row-shape, label, foreign-key,
# encoding and metadata errors): on a fault of one of these, frictionless runs beside the validator (the differential)
FRICTIONLESS_CHECKS = {"type", "required", "unique", "pattern", "enum", "range", "length", "foreign-key", "row-width", "header-mismatch",
                       "blank-line", "encoding-utf8", "table-empty", "csv-syntax", "descriptor-invalid", "schema-invalid", "resource-missing"}


def not_reported(ours: list[dict], theirs: set[tuple[str, int | None]], package) -> list[tuple[str, int | None]]:
    """The places frictionless reports that the validator's report does not cover. A row frictionless names is covered
    by a finding at that table and line, or by a finding about the whole table (no line, or its header: its rows were
    then not checked row by row). An error frictionless reports for a table without a row is covered by a finding for
    that table or for a table it refers to (frictionless reads those for its foreign keys, and reports their failure
    in the referring table too)."""
    import json

    resources = json.loads((package / "datapackage.json").read_text("utf-8")).get("resources", [])
    refers = {r.get("name"): {fk.get("reference", {}).get("resource") or r.get("name") for fk in (r.get("schema") or {}).get("foreignKeys", [])}
              for r in resources if isinstance(r.get("schema"), dict)}
    for r in resources:
        if isinstance(r.get("schema"), str) and (package / r["schema"]).is_file():
            schema = json.loads((package / r["schema"]).read_text("utf-8"))
            refers[r.get("name")] = {fk.get("reference", {}).get("resource") or r.get("name") for fk in schema.get("foreignKeys", [])}
    at = {(e["table"], e["line"]) for e in ours}
    whole = {e["table"] for e in ours if e["line"] in (None, 1)} | {e["table"] for e in ours if e["table"] == "datapackage.json"}
    named = {e["table"] for e in ours}
    missed = []
    for table, line in sorted(theirs, key=str):
        if line is not None and ((table, line) in at or table in whole):
            continue
        if line is None and named & ({table, "datapackage.json"} | refers.get(table, set())):
            continue
        if table == "datapackage.json" and any(e["line"] is None for e in ours):  # a descriptor or schema error: ours names its table
            continue
        missed.append((table, line))
    return missed


def frictionless_places(package, table: str) -> set[tuple[str, int | None]]:
    """(table, CSV line or None) of every error frictionless reports on the damaged table, read as a resource of the
    package (so that its foreign keys are checked), or on the whole package where the damage is not to one of its
    tables (a package-level error names datapackage.json). One resource takes a fifth of the package's time."""
    from frictionless import Package, validate

    try:
        descriptor = str(package / "datapackage.json")
        whole = Package(descriptor)
        report = whole.get_resource(table).validate() if table in whole.resource_names else validate(descriptor)
    except Exception:  # frictionless itself fails on some damage (a pattern that does not compile): nothing to compare
        return set()
    places = {("datapackage.json", None) for _ in report.errors}
    for task in report.tasks:
        places |= {(task.name, getattr(e, "row_number", None)) for e in task.errors}
    return places


@pytest.mark.parametrize("fault_id", ["missing-cell", "dangling-foreign-key", "integer-not-a-number"])
def test_the_differential_compares_something(fixture, fault_id):
    """frictionless_places swallows what frictionless raises, so a broken call would make every comparison vacuous: on
    faults frictionless certainly sees, it must report places, and the validator must cover them."""
    fault = next(f for f in FAULTS if f.id == fault_id)
    fault.damage(fixture)
    theirs = frictionless_places(fixture, fault.table)
    assert theirs
    assert not_reported(run_validator(fixture).report["errors"], theirs, fixture) == []


def test_every_rule_has_a_fault():
    assert set(catalogue()) - {f.rule for f in FAULTS} == {"validator-error"}  # a bug in the validator: see test_report.py


def test_fault_ids_are_unique():
    assert len({f.id for f in FAULTS}) == len(FAULTS)
