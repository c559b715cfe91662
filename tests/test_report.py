"""The report names every failure precisely, in text and JSON, and never shows a traceback."""

from __future__ import annotations

import json

from conftest import run_subprocess, run_validator
from edit import set_cell


def test_text_report_names_table_line_column_value_rule(package):
    line = set_cell(package, "agencies", "airbus", "agency_type", "space-company")
    done = run_subprocess(package)
    assert done.returncode == 1
    out = done.stdout
    assert "agencies: 1 errors" in out
    assert f"line {line}, column agency_type: [enum] 'space-company' is not one of" in out
    assert "Errors per rule:" in out and out.strip().splitlines()[-1].startswith("INVALID: 1 errors")
    assert "Traceback" not in out + done.stderr


def test_json_report_is_the_same_failures(package):
    line = set_cell(package, "agencies", "airbus", "agency_type", "space-company")
    done = run_subprocess(package, "--format", "json")
    report = json.loads(done.stdout)
    assert report["valid"] is False and report["counts"] == {"enum": 1}
    (error,) = report["errors"]
    assert error | {"message": ""} == {"rule": "enum", "table": "agencies", "line": line, "column": "agency_type",
                                       "value": "space-company", "message": "", "more": 0}


def test_all_failures_are_collected_in_one_run(package):
    set_cell(package, "agencies", "airbus", "agency_type", "space-company")
    set_cell(package, "events", "copuos-68", "edition", "0")
    (package / "sources" / "003_844ddc9fb5b86a51.txt").write_bytes(b"edited")
    result = run_validator(package)
    assert {"enum", "range", "source-hash", "quote-not-in-source"} <= result.rules()


def test_unreadable_package_is_a_report_not_a_traceback(package):
    (package / "datapackage.json").write_bytes(b"\x00\xff not json")
    done = run_subprocess(package)
    assert done.returncode == 2
    assert "UNREADABLE" in done.stdout and "Traceback" not in done.stdout + done.stderr


def test_many_failures_are_counted_not_all_listed(package):
    for key in ["airbus", "maxar", "spacex", "oneweb", "esri", "blacksky", "spacebuzz", "voyager", "ssi-monaco", "synspective",
                "nasa", "cnsa", "isa", "mysa", "nstda", "jaxa", "tua", "kari", "suparco", "azercosmos", "cnes", "ghalam"]:
        set_cell(package, "agencies", key, "agency_type", "space-company")
    result = run_validator(package)
    assert result.report["counts"]["enum"] == 22
    listed = result.at("enum")
    assert len(listed) == 20 and listed[-1]["more"] == 2


def test_readme_python_examples_run(monkeypatch):
    """The loading examples in the README work as written (those whose libraries are installed)."""
    import importlib.util
    import re

    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), flags=re.DOTALL)
    ran = 0
    for block in blocks:
        modules = re.findall(r"^(?:import|from) (\w+)", block, flags=re.MULTILINE)
        if all(importlib.util.find_spec(m) for m in modules):
            namespace: dict = {}
            exec(compile(block, "README.md", "exec"), namespace)  # the README's own examples
            ran += 1
    assert ran >= 2
