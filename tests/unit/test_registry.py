"""One place per rule: every rule ID has one registered function, a description and a family."""

from __future__ import annotations

import re
from pathlib import Path

from validate.registry import FAMILIES
from validate.rules import catalogue

VALIDATE = Path(__file__).resolve().parents[2] / "validate"


def test_every_rule_is_registered_once_with_a_description():
    rules = catalogue()
    assert len(rules) > 40
    for rule in rules.values():
        assert rule.family in FAMILIES and len(rule.description) > 10, rule.id


def test_a_rule_id_is_found_by_one_search():
    """grep '@rule("ID"' finds exactly one definition for each rule."""
    text = "\n".join(p.read_text("utf-8") for p in VALIDATE.glob("*.py"))
    for rule_id in catalogue():
        assert len(re.findall(rf'@rule\("{re.escape(rule_id)}"', text)) == 1, rule_id


def test_rule_modules_do_not_import_each_other():
    rule_modules = {"cells", "claims", "csvfile", "integrity", "provenance", "schema_checks", "changelog", "timeline"}
    for name in rule_modules:
        source = (VALIDATE / f"{name}.py").read_text("utf-8")
        imported = set(re.findall(r"^from \.(\w+) import", source, flags=re.MULTILINE))
        assert not imported & (rule_modules - {name}), (name, imported & rule_modules)


def test_row_rules_are_the_extension_row_rules():
    from validate.extensions import ROW_RULES

    assert {r.id for r in catalogue().values() if r.family == "row"} == set(ROW_RULES)


def test_the_registry_is_passive_and_a_finding_of_an_unregistered_rule_is_refused_by_the_runner():
    """registry.py imports no rule module (validate.rules loads them all), so no import circle runs through it; the runner,
    not the Finding, refuses a rule ID nobody registered."""
    import pytest

    from validate.findings import Finding
    from validate.run import known

    source = (VALIDATE / "registry.py").read_text("utf-8")
    assert not re.findall(r"^\s*from \. import|^\s*from \.(?!_)\w+ import", source, flags=re.MULTILINE)
    assert known([Finding("unique", "ok")])
    with pytest.raises(ValueError, match="no-such-rule"):
        known([Finding("no-such-rule", "a typo")])
