"""Every defect class of the fault corpus is caught: its rule, at its table and line, with the right exit code."""

from __future__ import annotations

import pytest
from conftest import run_validator
from faults import FAULTS

from validate.findings import RULES


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_fault_is_reported_where_it_is(package, fault):
    line = fault.damage(package)
    result = run_validator(package)
    assert result.code == fault.exit_code, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    if fault.exit_code == 2:
        assert result.report["verdict"].startswith("UNREADABLE")
    unexpected = result.rules() - {fault.rule} - fault.also
    assert not unexpected, f"the damage also triggered {sorted(unexpected)}"
    hits = [e for e in result.at(fault.rule) if e["table"] == fault.table]
    assert hits, f"{fault.rule} not reported for {fault.table}; got {sorted(result.rules())}"
    if line is not None:
        assert line in {e["line"] for e in hits}, f"expected line {line}, got {[e['line'] for e in hits]}"


def test_every_rule_has_a_fault():
    covered = {f.rule for f in FAULTS}
    assert set(RULES) - covered == {"validator-error"}  # a bug in the validator: see the next test


def test_a_validator_bug_is_a_report_not_a_traceback(package, monkeypatch):
    import validate.provenance

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(validate.provenance, "check", broken)
    result = run_validator(package)
    assert result.code == 2 and result.rules() == {"validator-error"}
    assert "simulated bug" in result.report["errors"][0]["message"] and "Traceback" not in result.stdout + result.stderr


def test_a_correct_citation_is_not_blamed_for_a_wrong_one(package):
    """Two citations with the same quote: only the one whose source lacks it is reported."""
    from edit import append_row, line_of

    good = line_of(package, "citations", "agency-unoosa-1")
    bad = append_row(package, "citations", {"citation_id": "agency-unoosa-99", "source_id": "uzbekspace-international-cooperation",
                                            "quote": "the United Nations Office for Outer Space Affairs (UNOOSA)", "agency_id": "unoosa"})
    lines = {e["line"] for e in run_validator(package).at("quote-not-in-source")}
    assert lines == {bad} and good not in lines


def test_a_bad_boolean_is_a_type_error_not_also_an_empty_cell(package):
    from edit import set_cell

    set_cell(package, "events", "copuos-68", "name_supplied", "maybe")
    result = run_validator(package)
    assert result.at("type") and not result.at("required")


def test_readme_lists_every_defect_class():
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text("utf-8")
    listed = {line.split("|")[1].strip() for line in readme.splitlines() if line.startswith("| ") and "| `" in line}
    assert {f.id for f in FAULTS} <= listed


def test_a_quoted_line_break_keeps_line_numbers_physical(package):
    """A line break inside a quoted cell is reported, and later rows keep their physical lines."""
    from edit import line_of, set_cell

    broken = set_cell(package, "agencies", "unoosa", "note", "first part,\nsecond, part")
    airbus = line_of(package, "agencies", "airbus") + 1  # the file now has one more physical line before it
    set_cell(package, "agencies", "airbus", "agency_type", "space-company")
    result = run_validator(package)
    assert [e["line"] for e in result.at("whitespace")] == [broken]
    assert [e["line"] for e in result.at("enum")] == [airbus]
    assert not result.at("row-width")
