"""The clean package passes every check, and frictionless agrees."""

from __future__ import annotations

import hashlib

from conftest import ROOT, run_subprocess, run_validator


def test_clean_package_has_no_findings():
    result = run_validator(ROOT)
    assert result.code == 0, result.stdout
    assert result.report["valid"] is True
    assert result.report["errors"] == []


def test_frictionless_validates_the_package():
    from frictionless import Package

    report = Package(str(ROOT / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])


def test_command_line_text_report_and_exit_code():
    done = run_subprocess(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1].startswith("VALID")


def test_bad_arguments_exit_2(tmp_path):
    assert run_subprocess(ROOT, "--format", "yaml").returncode == 2
    assert run_subprocess(tmp_path / "no-such-folder").returncode == 2


def test_validation_changes_nothing(package):
    """Hashes of every file before and after a run, on a damaged package so that the lenient read paths run too."""
    agencies = package / "tables" / "agencies.csv"
    agencies.write_bytes(agencies.read_bytes().replace(b"\nairbus,Airbus,", b'\nairbus,Air"bus,').replace(b"\n", b"\r\n"))
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(package.rglob("*")) if p.is_file()}
    assert run_validator(package).code == 1
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(package.rglob("*")) if p.is_file()}
    assert before == after
