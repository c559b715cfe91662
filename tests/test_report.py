"""The report names every failure precisely, in text and JSON, and never shows a traceback.

The command line runs in-process here (run_cli: main's return is the process's exit code); test_clean.py runs the
real process."""

from __future__ import annotations

import json

from conftest import ROOT, run_cli, run_validator
from edit import set_cell


def test_text_report_names_table_line_column_value_rule(fixture):
    line = set_cell(fixture, "agencies", "ksa", "agency_type", "space-company")
    done = run_cli(str(fixture))
    assert done.returncode == 1
    out = done.stdout
    assert "agencies: 1 errors" in out
    assert f"line {line}, column agency_type: [enum] 'space-company' is not one of" in out
    assert "Errors per rule" in out and out.strip().splitlines()[-1].startswith("INVALID: 1 errors")
    assert "Traceback" not in out + done.stderr


def test_json_report_is_the_same_failures_with_versions(fixture):
    line = set_cell(fixture, "agencies", "ksa", "agency_type", "space-company")
    report = json.loads(run_cli(str(fixture), "--format", "json").stdout)
    assert report["valid"] is False and report["counts"] == {"enum": 1}
    assert report["versions"]["package"] == "1.1.0" and report["versions"]["validator"]
    (error,) = report["errors"]
    assert error | {"message": ""} == {"rule": "enum", "table": "agencies", "line": line, "column": "agency_type",
                                       "value": "space-company", "message": "", "more": 0, "hint": ""}


def test_all_failures_are_collected_in_one_run(fixture):
    set_cell(fixture, "agencies", "ksa", "agency_type", "space-company")
    set_cell(fixture, "events", "space-forum-2", "edition", "0")
    (fixture / "sources" / "news.txt").write_bytes(b"edited")
    assert {"enum", "range", "source-hash", "quote-not-in-source"} <= run_validator(fixture).rules()


def test_unreadable_package_is_a_report_not_a_traceback(fixture):
    (fixture / "datapackage.json").write_bytes(b"\x00\xff not json")
    done = run_cli(str(fixture))
    assert done.returncode == 2
    assert "UNREADABLE" in done.stdout and "Traceback" not in done.stdout + done.stderr


def test_a_validator_bug_is_a_report_not_a_traceback(fixture, monkeypatch):
    import validate.provenance

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(validate.provenance, "check", broken)
    result = run_validator(fixture)
    assert result.code == 2 and result.rules() == {"validator-error"}
    assert "simulated bug" in result.report["errors"][0]["message"] and "Traceback" not in result.stdout + result.stderr


def test_many_failures_are_counted_not_all_listed(fixture):
    from edit import append_row

    for i in range(22):
        append_row(fixture, "countries", {"country_id": f"Q{i:02d}", "name": f"Nowhere {i}"})
    result = run_validator(fixture)
    assert result.report["counts"]["pattern"] == 22
    listed = result.at("pattern")
    assert len(listed) == 20 and listed[-1]["more"] == 2


def test_a_foreign_key_typo_suggests_the_closest_id(fixture):
    set_cell(fixture, "agreement_parties", "ksa-kenya-memorandum-kenya-space-agency", "party_agency_id", "kenya-spce-agency")
    (error,) = run_validator(fixture).at("foreign-key")
    assert error["hint"] == "did you mean 'kenya-space-agency'?"


def test_a_quote_not_found_shows_where_it_stops_matching(fixture):
    set_cell(fixture, "citations", "agency-ksa-1", "quote", "The Kazakh Space Agency (KSA) was founded on 3 March 2001 by decree.")
    (error,) = run_validator(fixture).at("quote-not-in-source")
    assert "sources/news.txt" in error["message"] and "differs after" in error["hint"] and "2001. Since 2010" in error["hint"]


def test_a_value_lost_from_an_edited_quote_points_back_to_that_citation(fixture):
    """The quote was edited (a wrong year): the agency's founding date is now in no quote, and that finding names the
    citation whose quote no longer matches its source, so the contributor fixes the cause, not the symptom."""
    set_cell(fixture, "citations", "agency-ksa-1", "quote", "The Kazakh Space Agency (KSA) was founded on 3 March 2002.")
    result = run_validator(fixture)
    assert result.at("quote-not-in-source")
    (effect,) = [e for e in result.at("fact-not-in-quote") if e["column"] == "founded_date"]
    assert "agency-ksa-1" in effect["hint"] and "quote-not-in-source" in effect["hint"]


def test_a_value_missing_from_intact_quotes_names_the_quotes_to_read(fixture):
    set_cell(fixture, "agencies", "ksa", "founded_date", "2001-03-04")
    (effect,) = run_validator(fixture).at("fact-not-in-quote")
    assert effect["hint"] == "the record's quotes are in citations agency-ksa-1"


def test_a_malformed_date_says_what_shape_to_use(fixture):
    set_cell(fixture, "events", "space-forum-2", "start_date", "April 2025")
    (error,) = run_validator(fixture).at("pattern")
    assert "use YYYY, YYYY-MM or YYYY-MM-DD" in error["message"]


def test_help_lists_exit_codes_and_where_rules_are_described():
    done = run_cli(str(ROOT), "--help")
    assert done.returncode == 0 and "exit codes" in done.stdout and "docs/validation.md" in done.stdout


def test_version_prints_both_versions():
    done = run_cli(str(ROOT), "--version")
    package = json.loads((ROOT / "datapackage.json").read_text("utf-8"))["version"]
    assert done.returncode == 0 and f"package {package}" in done.stdout and "validator " in done.stdout
