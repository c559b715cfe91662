"""Every defect class of the fault corpus is caught: its rule, at its table and line, with the right exit code."""

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


def test_every_rule_has_a_fault():
    assert set(catalogue()) - {f.rule for f in FAULTS} == {"validator-error"}  # a bug in the validator: see test_report.py


def test_fault_ids_are_unique():
    assert len({f.id for f in FAULTS}) == len(FAULTS)
