"""The release path: a reproducible build of every artifact, each holding exactly the CSV values; the diff; the gate."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import polars as pl
import pytest
from conftest import ROOT, copy_package, release_copy, run_validator
from edit import edit_json, schema, set_cell

from validate import diff, release
from validate.model import load
from validate.run import validate_package


@pytest.fixture
def built(release_build) -> tuple[Path, Path]:
    """The run's one release build (conftest.py), shared by every worker: read only."""
    return release_build


def csv_strings(root: Path, table: str) -> pl.DataFrame:
    return pl.read_csv(root / "tables" / f"{table}.csv", infer_schema=False)


def test_two_builds_are_byte_identical(built, tmp_path, monkeypatch):
    """The second build skips the gate's validation of the same package (the first build passed it, and what a build
    writes does not depend on it): every artifact is written again and compared."""
    root, out = built
    again = tmp_path / "again"
    monkeypatch.setattr(release, "validate_package", lambda path: (load(path)[0], []))
    release.build(root, again)
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys() and all(first[k] == second[k] for k in first)


def test_checksums_cover_every_artifact(built):
    _, out = built
    listed = {line.split("  ", 1)[1] for line in (out / "SHA256SUMS").read_text().splitlines()}
    assert listed == {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != "SHA256SUMS"}
    assert subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=out, check=False).returncode == 0


def uploaded_globs() -> list[str]:
    """The files the release workflow attaches to the GitHub release: the dist/ globs of its `gh release create` line."""
    workflow = (ROOT / ".github" / "workflows" / "release.yml").read_text("utf-8")
    command = next(line for line in workflow.splitlines() if "gh release create" in line)
    return [word.removeprefix("dist/") for word in command.split() if word.startswith("dist/")]


def test_the_checksums_pass_where_a_downloader_saves_the_attached_files(built, tmp_path):
    """Every file the workflow attaches, saved flat in one folder as a browser or `gh release download` saves them: the
    published SHA256SUMS checks there, and names every file it attaches."""
    _, out = built
    attached = sorted({p for pattern in uploaded_globs() for p in out.glob(pattern) if p.is_file()})
    assert attached and all(p.parent == out for p in attached)  # a glob into a folder would lose its folder on upload
    for p in attached:
        shutil.copyfile(p, tmp_path / p.name)
    names = {line.split("  ", 1)[1] for line in (tmp_path / "SHA256SUMS").read_text().splitlines()}
    assert names == {p.name for p in attached} - {"SHA256SUMS"}
    assert subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=tmp_path, capture_output=True, check=False).returncode == 0


def unzipped(out: Path, into: Path) -> Path:
    """The release zip extracted into `into`: its one top folder."""
    (archive,) = out.glob("*.zip")
    with zipfile.ZipFile(archive) as z:
        z.extractall(into)
    (folder,) = [p for p in into.iterdir() if p.is_dir()]
    return folder


def test_the_zip_has_a_readme_of_its_own_whose_links_resolve_inside_it(built, tmp_path):
    root, out = built
    folder = unzipped(out, tmp_path)
    readme = (folder / "README.md").read_text("utf-8")
    version = json.loads((root / "datapackage.json").read_text("utf-8"))["version"]
    assert f"Version **{version}**" in readme and "frictionless validate datapackage.json" in readme and "## Cite it" in readme
    assert "pip install" not in readme.split("## Validate it")[0]  # nothing to install from the repository: the zip is data
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme)
    local = [link for link in links if not link.startswith(("http://", "https://"))]
    assert {"docs/data-dictionary.md", "docs/coverage.md", "LICENSE-DATA", "CITATION.cff"} <= set(local)
    assert [link for link in local if not (folder / link).is_file()] == []


def test_the_spreadsheet_opens_with_title_version_licence_and_citation(built):
    import openpyxl

    root, out = built
    sheet = openpyxl.load_workbook(out / "central-asia-space.xlsx", read_only=True).worksheets[0]
    first = [row[0] for row in sheet.iter_rows(min_row=1, max_row=4, values_only=True)]
    version = json.loads((root / "datapackage.json").read_text("utf-8"))["version"]
    assert sheet.title == "README"
    assert first[0].startswith("Central Asia Space") and f"version {version}" in first[1]
    assert "CC-BY-4.0" in first[2] and first[3].startswith("Cite it:") and f"version {version}" in first[3]


def test_the_zip_reopens_as_a_valid_package(built, tmp_path):
    _, out = built
    folder = unzipped(out, tmp_path)
    assert {"LICENSE", "LICENSE-DATA", "CITATION.cff", "README.md", "CHANGELOG.md"} <= {p.name for p in folder.iterdir()}
    assert run_validator(folder).code == 0


def test_parquet_is_typed_and_holds_the_csv_values(built):
    root, out = built
    package, _ = load(root)
    for table in package.tables.values():
        frame = pl.read_parquet(out / f"{table.name}.parquet")
        strings = csv_strings(root, table.name)
        for f in table.fields:
            column = frame.get_column(f.name)
            assert column.dtype == {"integer": pl.Int64, "boolean": pl.Boolean, "number": pl.Float64}.get(f.type, pl.String), (table.name, f.name)
            if f.type == "number":  # a float's text form varies ('830' and '830.0'): compare the numbers
                assert column.to_list() == strings.get_column(f.name).cast(pl.Float64).to_list(), (table.name, f.name)
                continue
            back = column.cast(pl.String) if f.type != "boolean" else column.replace_strict(
                {True: "true", False: "false"}, default=None, return_dtype=pl.String)
            assert back.to_list() == strings.get_column(f.name).to_list(), (table.name, f.name)
    meta = pl.read_parquet_metadata(out / "agencies.parquet")
    assert meta["table"] == "agencies" and "name" in json.loads(meta["fields"])


def test_sqlite_declares_keys_and_holds_the_csv_values(built):
    root, out = built
    db = sqlite3.connect(out / "central-asia-space.db")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT count(*) FROM pragma_foreign_key_list('agreement_parties')").fetchone()[0] >= 3
    for table in load(root)[0].tables.values():
        strings = csv_strings(root, table.name)
        rows = db.execute(f'SELECT * FROM "{table.name}"').fetchall()
        numbers = [i for i, f in enumerate(table.fields) if f.type == "number"]  # REAL: compare as numbers ('830' is 830.0)
        assert [[None if v is None else v if i in numbers else str(v) for i, v in enumerate(row)] for row in rows] == [
            [None if v is None else float(v) if i in numbers else v for i, v in enumerate(r)] for r in strings.iter_rows()], table.name


def test_xlsx_keeps_every_cell_as_its_csv_text(built):
    import openpyxl

    root, out = built
    book = openpyxl.load_workbook(out / "central-asia-space.xlsx", read_only=True)
    assert book.sheetnames[0] == "README"
    for table in load(root)[0].tables.values():
        rows = list(book[table.name[:31]].iter_rows(values_only=True))
        strings = csv_strings(root, table.name)
        assert list(rows[0]) == strings.columns
        assert [list(r) for r in rows[1:]] == [list(r) for r in strings.iter_rows()], table.name
        assert all(isinstance(v, str) for r in rows[1:] for v in r if v is not None)


def datasette_get(out: Path, path: str) -> str:
    """`datasette central-asia-space.db -m metadata.json`, the command the README gives, run in-process with --get: one
    request answered by the same application a server would run, with no port to find and no start-up to wait for."""
    from click.testing import CliRunner
    from datasette.cli import cli

    done = CliRunner().invoke(cli, [str(out / "central-asia-space.db"), "-m", str(out / "metadata.json"), "--get", path])
    assert done.exit_code == 0, (path, done.output, done.exception)
    return done.stdout


def test_datasette_serves_a_documented_copy(built):
    _, out = built
    page = datasette_get(out, "/central-asia-space/agencies")
    assert "Uzbekspace" in page and "Agencies" in page
    data = json.loads(datasette_get(out, "/central-asia-space/countries.json?_shape=array"))
    assert {"country_id": "KAZ", "name": "Kazakhstan"}.items() <= next(r for r in data if r["country_id"] == "KAZ").items()


def test_a_change_to_a_copy_appears_in_the_diff_as_exactly_that_change(tmp_path):
    old, new = copy_package(tmp_path / "old"), copy_package(tmp_path / "new")
    set_cell(new, "countries", "KEN", "name", "Republic of Kenya")
    d = diff.diff(old, new)
    assert [(t.table, t.added, t.removed, t.changed, t.bump) for t in d.tables] == [
        ("countries", [], [], {"KEN": {"name": ["Kenya", "Republic of Kenya"]}}, "patch")]


def test_a_removed_column_requires_a_major_bump_and_a_minor_one_is_refused(tmp_path):
    old = copy_package(tmp_path / "old")
    new = release_copy(tmp_path / "new")
    d = diff.diff(old, old)
    assert d.bump == "none"

    def drop_note(s: dict) -> None:
        s["fields"] = [f for f in s["fields"] if f["name"] != "note"]

    schema(new, "aliases", drop_note)
    rows = (new / "tables" / "aliases.csv").read_text("utf-8").splitlines()
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([r[:-1] for r in csv.reader(io.StringIO("\n".join(rows) + "\n"))])
    (new / "tables" / "aliases.csv").write_text(buf.getvalue(), "utf-8")
    assert diff.diff(old, new).bump == "major"
    bump_version(new, next_minor(new))
    with pytest.raises(release.Refused, match="major"):
        release.gate(new, str(old))


def next_minor(root: Path) -> str:
    major, minor, _ = json.loads((root / "datapackage.json").read_text("utf-8"))["version"].split(".")
    return f"{major}.{int(minor) + 1}.0"


def bump_version(root: Path, version: str) -> None:
    edit_json(root / "datapackage.json", lambda d: d.update(version=version))
    log = (root / "CHANGELOG.md").read_text("utf-8").replace("## [Unreleased]\n", f"## [Unreleased]\n\n## [{version}] - 2026-11-23\n", 1)
    (root / "CHANGELOG.md").write_text(log, "utf-8")
    cff = (root / "CITATION.cff").read_text("utf-8").splitlines()
    (root / "CITATION.cff").write_text("\n".join(f"version: {version}" if line.startswith("version:") else line for line in cff) + "\n", "utf-8")
    edit_json(root / ".zenodo.json", lambda d: d.update(version=version))


def test_a_retired_id_must_be_listed_in_the_changelog(tmp_path):
    old = copy_package(tmp_path / "old")
    new = release_copy(tmp_path / "new")
    bump_version(new, next_minor(new))
    d = diff.diff(old, new)
    assert d.retired == []
    from edit import append_row

    append_row(old, "countries", {"country_id": "FIN", "name": "Finland"})
    with pytest.raises(release.Refused, match="FIN"):
        release.gate(new, str(old))


def test_a_release_is_refused_when_the_versions_disagree(tmp_path):
    new = release_copy(tmp_path / "new")
    edit_json(new / ".zenodo.json", lambda d: d.update(version="9.9.9"))
    with pytest.raises(release.Refused, match="zenodo"):
        release.gate(new, None)


def test_citation_cff_is_valid_and_carries_the_package_version():
    import jsonschema
    import yaml

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    cff["date-released"] = str(cff["date-released"])
    jsonschema.validate(cff, json.loads((ROOT / "tests" / "data" / "cff-1.2.0.schema.json").read_text("utf-8")))
    version = json.loads((ROOT / "datapackage.json").read_text("utf-8"))["version"]
    assert cff["version"] == version == json.loads((ROOT / ".zenodo.json").read_text("utf-8"))["version"]


def test_the_workflows_are_valid_github_actions():
    """check-jsonschema's command line, in-process, with the schema it ships (no download)."""
    from check_jsonschema import main
    from click.testing import CliRunner

    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows
    done = CliRunner().invoke(main, ["--builtin-schema", "vendor.github-workflows", *map(str, workflows)])
    assert done.exit_code == 0, (done.output, done.exception)


def test_a_package_that_does_not_validate_is_never_released(tmp_path):
    new = release_copy(tmp_path / "new")
    set_cell(new, "countries", "KEN", "country_id", "KENYA")
    with pytest.raises(release.Refused, match="does not validate"):
        release.gate(new, None)


def test_a_release_carries_only_the_declared_files_never_a_symlink_or_a_stray_file(tmp_path, monkeypatch):
    """Issue 18: a symlink under sources/ once put its target, outside the package, into the zip. Now validation reports
    it (and a stray file), the gate refuses, and the zip is built from the declared files only, read through the path guard."""
    import os

    root = release_copy(tmp_path / "pkg")
    secret = tmp_path / "secret.txt"
    secret.write_text("private: not part of the package\n", "utf-8")
    os.symlink(secret, root / "sources" / "outside" / "notes.txt")
    (root / "sources" / "stray.txt").write_text("an excerpt no row of sources records\n", "utf-8")
    validated = []  # the gate's own validation, looked into (one run: validating the same package twice adds nothing)
    monkeypatch.setattr(release, "validate_package", lambda path: validated.append(validate_package(path)) or validated[-1])
    with pytest.raises(release.Refused, match="does not validate"):
        release.gate(root, None)
    ((_, found),) = validated
    assert {"symlink", "file-unrecorded"} <= {f.rule for f in found}
    package, _ = load(root)
    release.write_zip(package, tmp_path / "r.zip", "r")
    with zipfile.ZipFile(tmp_path / "r.zip") as z:
        names = set(z.namelist())
        assert not any(b"private: not part" in z.read(n) for n in names)
    assert "r/sources/outside/notes.txt" not in names and "r/sources/stray.txt" not in names
    assert {"r/README.md", "r/datapackage.json", "r/tables/countries.csv", "r/schemas/countries.schema.json"} <= names
    # a declared file swapped for a symlink after validation is refused, never followed
    (root / "tables" / "countries.csv").rename(root / "tables" / "countries-real.csv")
    os.symlink("countries-real.csv", root / "tables" / "countries.csv")
    with pytest.raises(release.Refused, match="symbolic link"):
        release.write_zip(package, tmp_path / "again.zip", "r")
