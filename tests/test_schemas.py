"""The Table Schemas are the contract: complete, and the pandera schemas derived from them agree with them."""

from __future__ import annotations

import polars as pl
import pytest
from conftest import FIXTURE, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validate.extensions import ROW_RULES
from validate.model import load
from validate.schema_checks import FIELD_RULES, derive, pandera_schema, passes

PACKAGE, _ = load(ROOT)
FIXTURE_PACKAGE, _ = load(FIXTURE)


@pytest.mark.parametrize("name", sorted(PACKAGE.tables))
def test_every_field_is_titled_described_and_typed(name):
    for field in PACKAGE.tables[name].fields:
        assert field.title and field.description and field.type, (name, field.name)


@pytest.mark.parametrize("name", sorted(PACKAGE.tables))
def test_every_enum_value_is_defined_in_the_description(name):
    for field in PACKAGE.tables[name].fields:
        for value in field.constraints.get("enum", []):
            assert f"`{value}`:" in field.description, (name, field.name, value)


@pytest.mark.parametrize("name", sorted(PACKAGE.tables))
def test_pandera_schema_carries_every_table_schema_constraint(name):
    table = PACKAGE.tables[name]
    derived = derive(table)
    assert list(derived.schema.columns) == table.field_names
    for field in table.fields:
        column = derived.schema.columns[field.name]
        c = field.constraints
        assert column.nullable is not (c.get("required", False) or field.name in table.primary_key)
        is_unique = bool(c.get("unique", False) or table.primary_key == [field.name])
        required = bool(c.get("required", False) or field.name in table.primary_key)
        # an optional unique column is checked by its own check, which lets empty cells repeat; pandera's unique= would not
        assert column.unique is (is_unique and required)
        expected = sum(1 for k in ("pattern", "enum", "minimum", "maximum") if k in c) + ("minLength" in c or "maxLength" in c) + field.partial_date
        assert len(column.checks) == expected + (is_unique and not required), field.name
        assert expected == sum(len(make(field)) for make in FIELD_RULES), field.name
    row_rules = [r for r in table.rules if r["rule"] in ROW_RULES]
    assert len(derived.schema.checks) == len(row_rules) + (len(table.primary_key) > 1)


def test_the_shipped_pandera_schema_validates_a_frame():
    schema = pandera_schema("countries", ROOT)
    frame = pl.read_csv(ROOT / "tables" / "countries.csv", infer_schema=False)
    assert schema.validate(frame).height == frame.height


def typed(table, rows: list[list[str]]) -> pl.DataFrame:
    from validate.types import cast

    strings = pl.DataFrame(rows, schema=dict.fromkeys(table.field_names, pl.String), orient="row")
    return cast([f.raw for f in table.fields], table.name, strings)[0]


# derandomize: the same examples on every run, so a failure reproduces and CI never goes red at random
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None, derandomize=True)
@given(data=st.data())
def test_the_clean_path_agrees_with_pandera(data):
    """`passes` (one fused select) and pandera's own run decide every table alike, on random damage."""
    import csv
    import io

    import pandera.polars as pa

    name = data.draw(st.sampled_from(sorted(FIXTURE_PACKAGE.tables)))
    table = FIXTURE_PACKAGE.tables[name]
    rows = list(csv.reader(io.StringIO(table.path.read_text("utf-8"))))[1:]
    for _ in range(data.draw(st.integers(0, 3))):
        r, c = data.draw(st.integers(0, len(rows) - 1)), data.draw(st.integers(0, len(table.fields) - 1))
        rows[r][c] = data.draw(st.sampled_from(["", "0", "x", "KAZ", "2025-02-30", "2025-13", "true", rows[0][c], "Kenya Space Agency"]))
    frame = typed(table, [[v or None for v in row] for row in rows])
    derived = derive(table)
    try:
        derived.schema.validate(frame, lazy=True)
        pandera_ok = True
    except pa.errors.SchemaErrors:
        pandera_ok = False
    assert passes(table, derived, frame) is pandera_ok
