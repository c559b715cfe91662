"""Damage the validator cannot foresee still ends in a report and an exit code, never a traceback or validator-error;
and a very large table is validated within bounded memory."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import FIXTURE, ROOT, copy_package, run_validator
from edit import read_rows, write_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validate.model import load

FIXTURE_PACKAGE, _ = load(FIXTURE)
TABLES = sorted(FIXTURE_PACKAGE.tables)
SETTINGS = settings(max_examples=7, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)


def assert_reported(path: Path) -> None:
    result = run_validator(path)
    assert result.code in (0, 1, 2)
    assert "validator-error" not in result.rules(), result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@SETTINGS
@given(table=st.sampled_from(TABLES), data=st.data())
def test_random_bytes_never_crash(table, data):
    with tempfile.TemporaryDirectory() as tmp:
        pkg = copy_package(Path(tmp) / "pkg", FIXTURE)
        path = pkg / "tables" / f"{table}.csv"
        raw = bytearray(path.read_bytes())
        for _ in range(data.draw(st.integers(1, 8))):
            at = data.draw(st.integers(0, len(raw) - 1))
            raw[at : at + 1] = data.draw(st.binary(min_size=0, max_size=4))
        path.write_bytes(bytes(raw))
        assert_reported(pkg)


def cell_values(field) -> st.SearchStrategy[str]:
    """Values drawn from what the schema allows and just beyond it: its enum, its type's edge cases, and any text."""
    edge = ["", "0", "-1", "1e400", "NaN", "true", "2025-02-30", "2025", "9999-12-31", "KAZ", "x" * 3000, "a\u202eb", "N/A"]
    values = [st.sampled_from(edge), st.text(max_size=20)]
    if "enum" in field.constraints:
        values.append(st.sampled_from([str(v) for v in field.constraints["enum"]]))
    return st.one_of(values)


@SETTINGS
@given(table=st.sampled_from(TABLES), data=st.data())
def test_any_package_generated_from_the_schemas_ends_in_a_report(table, data):
    with tempfile.TemporaryDirectory() as tmp:
        pkg = copy_package(Path(tmp) / "pkg", FIXTURE)
        rows = read_rows(pkg, table)
        fields = FIXTURE_PACKAGE.tables[table].fields
        for _ in range(data.draw(st.integers(1, 4))):
            r = data.draw(st.integers(1, len(rows) - 1))
            c = data.draw(st.integers(0, len(fields) - 1))
            rows[r][c] = data.draw(cell_values(fields[c]))
        if data.draw(st.booleans()):
            rows.append([data.draw(cell_values(f)) for f in fields])
        write_rows(pkg, table, rows)
        assert_reported(pkg)


def test_very_large_table_is_validated_in_bounded_memory(package):
    """300,000 valid rows (about 20 MB) with one bad row at the end: found at its line, memory bounded."""
    n = 300_000
    path = package / "tables" / "programme_areas.csv"
    header = path.read_bytes().split(b"\n")[0]
    body = b"".join(b"bulk-%d,kaz-national-ssa-system,space object tracking,\n" % i for i in range(n))
    path.write_bytes(header + b"\n" + body + b"bulk-last,kaz-national-ssa-system,asteroid mining,\n")
    size = path.stat().st_size
    child = ("import resource, runpy, sys\n"
             "sys.argv = ['validate', sys.argv[1], '--format', 'json']\n"
             "try:\n    runpy.run_module('validate', run_name='__main__')\n"
             "finally:\n    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", child, str(package)], cwd=ROOT, capture_output=True, timeout=300, check=False)
    assert done.returncode == 1, done.stderr.decode()
    assert b'"line": 300002' in done.stdout and b"fact-not-in-quote" in done.stdout
    peak = int(done.stderr.decode().split()[-1])
    assert peak < 10 * size + 400_000_000, f"peak {peak / 1e6:.0f} MB for a {size / 1e6:.0f} MB table"
