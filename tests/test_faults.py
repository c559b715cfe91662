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
    hits = [e for e in result.at(fault.rule) if e["table"] == fault.table]
    assert hits, f"{fault.rule} not reported for {fault.table}; got {sorted(result.rules())}"
    if line is not None:
        assert line in {e["line"] for e in hits}, f"expected line {line}, got {[e['line'] for e in hits]}"


def test_every_rule_has_a_fault():
    covered = {f.rule for f in FAULTS}
    assert set(RULES) - covered == set()


def test_readme_lists_every_defect_class():
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text("utf-8")
    listed = {line.split("|")[1].strip() for line in readme.splitlines() if line.startswith("| ") and "| `" in line}
    assert {f.id for f in FAULTS} <= listed
