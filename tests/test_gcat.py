"""Reconciliation with GCAT: the coverage report's GCAT section, run on a small extract of two GCAT release files the tests ship
(tests/data/gcat: KazSat-1 and KazSat-3 as GCAT's satcat.tsv of 4 January 2026 and psatcat.tsv of 7 April 2025 give them)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from validate import coverage, gcat

DATA = Path(__file__).parent / "data" / "gcat"
ROOT = Path(__file__).resolve().parent.parent


def satellites() -> pl.DataFrame:
    return pl.read_csv(ROOT / "tables" / "satellites.csv", infer_schema=False)


def verdicts(satcat: Path, psatcat: Path | None = DATA / "psatcat.tsv") -> dict[tuple[str, str], tuple[str | None, str | None, str]]:
    _, s = gcat.read_release(satcat)
    p = gcat.read_release(psatcat)[1] if psatcat else None
    table = gcat.compare(satellites(), s, p)
    return {(j, f): (pkg, g, v) for j, _, _, f, pkg, g, v in table.iter_rows()}


def test_gcat_dates_are_read_at_their_precision():
    assert gcat.iso("2006 Jun 17") == "2006-06-17"
    assert gcat.iso("2008 Oct") == "2008-10"
    assert gcat.iso("2025 Jul 19?") == "2025-07-19"
    assert gcat.iso("2018 May  3") == "2018-05-03"
    assert gcat.iso("1934") == "1934"
    assert gcat.iso("-") is None and gcat.iso("*") is None


def test_the_shipped_extract_agrees_field_by_field_where_the_package_holds_gcats_values():
    found = verdicts(DATA / "satcat.tsv")
    assert found[("S29230", "norad_id")] == ("29230", "29230", "agrees")
    assert found[("S29230", "un_registration_document")] == ("ST/SG/SER.E/509", "ST/SG/SER.E/509", "agrees")
    assert found[("S29230", "orbit_class")] == ("GEO", "GEO", "agrees")
    # GCAT ends KazSat-3's operations in 2023; the package keeps 'operating' (2025) and so lacks an end date
    assert found[("S39728", "end_date")] == (None, "2023-09-15", "missing in package")


def test_a_new_payload_of_the_five_states_is_reported_as_not_in_the_package(tmp_path):
    lines = (DATA / "satcat.tsv").read_text("utf-8").splitlines()
    new = lines[2].replace("S29230\t29230", "S99999\t99999").replace("Kazsat\t", "Newsat\t", 1)
    (tmp_path / "satcat.tsv").write_text("\n".join([*lines, new]) + "\n", "utf-8")
    found = verdicts(tmp_path / "satcat.tsv", None)
    assert found[("S99999", "satellite")][2] == "not in package"


def test_a_changed_catalogue_value_is_reported_with_both_values(tmp_path):
    text = (DATA / "satcat.tsv").read_text("utf-8").replace("2006-022A", "2006-023A")
    (tmp_path / "satcat.tsv").write_text(text, "utf-8")
    assert verdicts(tmp_path / "satcat.tsv")[("S29230", "cospar_id")] == ("2006-022A", "2006-023A", "disagrees")


def test_the_coverage_command_reconciles_with_a_release_file_given_on_the_command_line(capsys):
    assert coverage.main([str(ROOT), "--gcat", str(DATA / "satcat.tsv"), "--gcat-payloads", str(DATA / "psatcat.tsv")]) == 0
    out = capsys.readouterr().out
    assert "## Satellites against GCAT" in out and "Updated 2026 Jan  4" in out
    assert "| S29230 | Kazsat | `kazsat-1` | norad_id | 29230 | 29230 | agrees |" in out


def test_a_missing_release_file_is_a_clear_error_not_a_traceback(capsys, tmp_path):
    assert coverage.main([str(ROOT), "--gcat", str(tmp_path / "nope.tsv")]) == 2
    assert "no such file" in capsys.readouterr().err
