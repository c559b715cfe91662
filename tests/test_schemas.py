"""The Table Schemas are the contract: complete, and the pandera schemas derived from them agree."""

from __future__ import annotations

import json
import re

import pandera.polars as pa
import pytest
from conftest import ROOT

from validate.extensions import ROW_RULES, check_schema
from validate.findings import RULES
from validate.package import Table
from validate.pandera_schemas import derive

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text("utf-8"))
SCHEMAS = {r["name"]: json.loads((ROOT / r["schema"]).read_text("utf-8")) for r in DESCRIPTOR["resources"]}
CHECKED = {"pattern", "enum", "minimum", "maximum", "minLength", "maxLength"}


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_field_is_titled_described_and_typed(name):
    for field in SCHEMAS[name]["fields"]:
        assert field.get("title") and field.get("description") and field.get("type"), (name, field["name"])


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_enum_value_is_defined_in_the_description(name):
    for field in SCHEMAS[name]["fields"]:
        for value in field.get("constraints", {}).get("enum", []):
            assert f"`{value}`:" in field["description"], (name, field["name"], value)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_pandera_schema_carries_every_table_schema_constraint(name):
    schema = SCHEMAS[name]
    derived = derive(Table(name, ROOT / "tables" / f"{name}.csv", schema))
    assert list(derived.schema.columns) == [f["name"] for f in schema["fields"]]
    primary = schema["primaryKey"]
    for field in schema["fields"]:
        column: pa.Column = derived.schema.columns[field["name"]]
        c = field.get("constraints", {})
        assert column.nullable is not (c.get("required", False) or field["name"] in primary)
        assert column.unique is (c.get("unique", False) or primary == [field["name"]])
        expected = sum(1 for k in CHECKED if k in c) - ("minLength" in c and "maxLength" in c) + bool(field.get("x-partial-date"))
        assert len(column.checks) == expected, field["name"]
    row_rules = [r for r in schema.get("x-rules", []) if r["rule"] in ROW_RULES]
    assert len(derived.schema.checks) == len(row_rules) + (len(primary) > 1)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_extensions_are_well_formed(name):
    assert check_schema(name, SCHEMAS[name], SCHEMAS) == []


def test_readme_lists_every_rule():
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("| rule | family | checks that |"):]
    section = section[: section.index("\n\n")]
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, flags=re.MULTILINE))
    assert listed == set(RULES)


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text("utf-8")
    head = readme[: readme.index("## ")]
    assert "<!-- validate-command -->" in head and "-m validate" in head
    assert "<!-- test-command -->" in head and "-m pytest" in head


def test_code_is_ruff_clean():
    import subprocess
    import sys

    folders = [d for d in ("validate", "tests", "bench") if (ROOT / d).is_dir()]
    done = subprocess.run([sys.executable, "-m", "ruff", "check", *folders], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_readme_row_counts_match_the_tables():
    readme = (ROOT / "README.md").read_text("utf-8")
    stated = {m[0]: int(m[1]) for m in re.findall(r"^\| `([a-z_]+)` \| .+? \| (\d+) \|$", readme, flags=re.MULTILINE)}
    actual = {p.stem: len((p.read_text("utf-8")).splitlines()) - 1 for p in (ROOT / "tables").glob("*.csv")}
    assert stated == actual


def test_data_dictionary_is_current():
    from validate.dictionary import render

    assert (ROOT / "docs" / "data-dictionary.md").read_text("utf-8") == render(ROOT), "run: python -m validate.dictionary > docs/data-dictionary.md"
