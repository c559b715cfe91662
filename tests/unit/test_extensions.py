"""The schema extensions are checked by a JSON Schema, so that no schema a contribution can carry crashes the run."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validate.extensions import RULE_KINDS, problems

COLUMN_NAMES = ["agency_id", "name", "country_id", "member_count", "note", "nowhere", ""]
KEYS = ["field", "fields", "other", "when", "table", "min", "unless", "kind", "role"]
json_values = st.recursive(st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(COLUMN_NAMES),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=3), max_leaves=8)
rules = st.fixed_dictionaries({"rule": st.sampled_from([*RULE_KINDS, "exactly_one", 3])},
                              optional={k: json_values for k in ["field", "fields", "other", "when", "table", "min", "unless"]})


def test_a_rule_missing_its_parameter_is_refused():
    assert problems({"x-rules": [{"rule": "not-before", "field": "end_date"}]})
    assert problems({"x-rules": [{"rule": "required-if", "field": "x"}]})
    assert problems({"x-rules": [{"rule": "min-children", "table": "t", "field": "f"}]})
    assert not problems({"x-rules": [{"rule": "not-before", "field": "end_date", "other": "start_date"}]})


# derandomize: the same examples on every run, so a failure reproduces and CI never goes red at random
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None, derandomize=True)
@given(x_rules=st.lists(rules, max_size=3), quoted=st.one_of(json_values, st.sampled_from(["text", "date", {"kind": "text", "unless": "name"}])))
def test_no_extension_crashes_the_validator(x_rules, quoted):
    """Any x-rules and x-quoted a schema can carry ends in a report: never validator-error, never a traceback."""
    from conftest import FIXTURE, copy_package, run_validator
    from edit import field, schema

    with tempfile.TemporaryDirectory() as tmp:
        pkg = copy_package(Path(tmp) / "pkg", FIXTURE)

        def change(s: dict) -> None:
            s["x-rules"] = x_rules
            field(s, "name")["x-quoted"] = quoted

        schema(pkg, "agencies", change)
        result = run_validator(pkg)
        assert result.code in (0, 1), result.stdout
        assert "validator-error" not in result.rules(), json.dumps(x_rules)
