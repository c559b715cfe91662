"""The worked examples of docs/examples.md agree, and the release's Datasette shows the data and the examples.

Every question is answered in polars and in SQL; both are run as written, the SQL in DuckDB over the CSV files (after
the page's own setup block) and in SQLite on the release's database, and the three answers must be the same rows
(sorted) with the same columns.
"""

from __future__ import annotations

import ast
import asyncio
import json
import re
import sqlite3

import pytest
from conftest import ROOT

from validate import examples

PAGE = ROOT / "docs" / "examples.md"
EXAMPLES = examples.read(PAGE)


def answer_of(code: str):
    """Run a polars example; its answer is the value of its last line (a bare name, as a notebook shows it)."""
    tree = ast.parse(code)
    last = tree.body[-1]
    assert isinstance(last, ast.Expr), "a polars example ends with the name of its answer"
    scope: dict = {}
    exec(compile(ast.Module(tree.body[:-1], type_ignores=[]), str(PAGE), "exec"), scope)  # the page's own examples
    return eval(compile(ast.Expression(last.value), str(PAGE), "eval"), scope)


def canonical(columns, rows) -> tuple[list[str], list[tuple]]:
    """Columns in order and rows sorted, every value as text (SQLite types integer columns; the CSV reads are text)."""
    text = [tuple(None if v is None else str(v) for v in row) for row in rows]
    return list(columns), sorted(text, key=lambda row: [(v is None, v or "") for v in row])


def disagreement(expected, got) -> str | None:
    (columns, rows), (other_columns, other_rows) = expected, got
    if columns != other_columns:
        return f"columns differ: {columns} != {other_columns}"
    if rows != other_rows:
        missing, extra = [r for r in rows if r not in other_rows], [r for r in other_rows if r not in rows]
        return f"{len(rows)} rows != {len(other_rows)} rows; only in the first: {missing[:3]}; only in the second: {extra[:3]}"
    return None


@pytest.fixture(scope="module")
def release_folder(tmp_path_factory):
    """The package's release files, built by release.build from the repository as it is, without its gate: these tests
    are about the examples and the Datasette configuration, which hold whether or not today's data validates (the gate
    is tested in test_release.py)."""
    from validate import release
    from validate.model import load

    out = tmp_path_factory.mktemp("release")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(release, "gate", lambda root, previous: (load(root)[0], "2026-01-01"))
        release.build(ROOT, out)
    return ROOT, out


@pytest.fixture(scope="module")
def duck(release_folder):
    """The page's setup block run as written, in the package: every table a DuckDB view of its CSV."""
    import os

    import duckdb

    root, _ = release_folder
    here = os.getcwd()
    os.chdir(root)
    try:
        exec(compile(examples.setup(PAGE.read_text("utf-8")), str(PAGE), "exec"), {})
        yield duckdb.default_connection()
    finally:
        os.chdir(here)


def test_the_page_has_the_questions():
    names = [e.name for e in EXAMPLES]
    assert len(names) == len(set(names)) >= 12
    assert {"state-standing", "agreements-between-two-countries", "ots-meeting-4-outcomes", "un-treaties-joined"} <= set(names)
    assert "CREATE OR REPLACE VIEW" in examples.setup(PAGE.read_text("utf-8"))


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_polars_and_sql_give_the_same_answer(example, release_folder, duck, monkeypatch):
    root, dist = release_folder
    monkeypatch.chdir(root)
    frame = answer_of(example.python)
    polars = canonical(frame.columns, frame.iter_rows())
    assert polars[1], f"{example.name}: the polars answer is empty, so agreeing proves nothing"
    result = duck.sql(example.sql)
    in_duckdb = canonical(result.columns, result.fetchall())
    with sqlite3.connect(f"file:{dist / 'central-asia-space.db'}?mode=ro", uri=True) as db:
        cursor = db.execute(example.sql)
        in_sqlite = canonical([d[0] for d in cursor.description], cursor.fetchall())
    assert disagreement(polars, in_duckdb) is None, f"{example.name}, polars vs DuckDB: {disagreement(polars, in_duckdb)}"
    assert disagreement(polars, in_sqlite) is None, f"{example.name}, polars vs SQLite: {disagreement(polars, in_sqlite)}"


def test_a_disagreement_is_caught(release_folder, duck, monkeypatch):
    """The comparison fails on one row less, on a renamed column, and on the SQL the tester found wrong (the fourth OTS
    meeting's outcomes without its satellites: 5 rows against 6)."""
    root, _ = release_folder
    monkeypatch.chdir(root)
    example = next(e for e in EXAMPLES if e.name == "ots-meeting-4-outcomes")
    frame = answer_of(example.python)
    polars = canonical(frame.columns, frame.iter_rows())
    assert disagreement(polars, canonical(polars[0], polars[1][:-1]))
    assert disagreement(polars, canonical(["kind", "record", "arose_how"], polars[1]))
    old = example.sql.rsplit("\nUNION ALL", 1)[0]
    result = duck.sql(old)
    assert "6 rows != 5 rows" in disagreement(polars, canonical(result.columns, result.fetchall()))


def test_standing_lists_every_treaty_and_body_for_any_state(release_folder, duck, monkeypatch):
    """Asked about Uzbekistan instead (the codes changed as the page says), both answers still agree, and every treaty
    and body is listed, those without a record as `none recorded`."""
    monkeypatch.chdir(release_folder[0])
    example = next(e for e in EXAMPLES if e.name == "state-standing")
    assert example.sql.count("'KAZ'") == 2 and example.python.count('"KAZ"') == 1
    frame = answer_of(example.python.replace('"KAZ"', '"UZB"'))
    result = duck.sql(example.sql.replace("'KAZ'", "'UZB'"))
    polars = canonical(frame.columns, frame.iter_rows())
    assert disagreement(polars, canonical(result.columns, result.fetchall())) is None
    assert set(frame.get_column("body")) == {"outer-space-treaty", "rescue-agreement", "liability-convention", "registration-convention",
                                             "moon-agreement", "copuos", "organization-of-turkic-states", "cis-interstate-space-council"}
    assert "none recorded" in set(frame.get_column("status")) and "domestic-approval" in set(frame.get_column("status"))


# Datasette: the release's folder served as `datasette .` would serve it, through the in-process client (no port).

def datasette_app(dist):
    from datasette.app import Datasette

    return Datasette([], config_dir=dist)


def get(app, path: str):
    return asyncio.run(app.client.get(path))


@pytest.fixture(scope="module")
def app(release_folder):
    return datasette_app(release_folder[1])


def test_a_table_page_shows_rows_before_column_descriptions(app, release_folder):
    from validate.model import load

    package, _ = load(release_folder[0])
    table = package.tables["satellites"]
    page = get(app, "/central-asia-space/satellites").text
    first_row = page.index("<tbody>")
    assert "kazsat-1" in page[first_row:]
    described = [f.description for f in table.fields if f.description and len(f.description) > 20]
    for text in described:
        assert text[:40] not in page[:first_row], f"a column description comes before the rows: {text[:40]!r}"
    assert 'class="column-descriptions"' not in page[:first_row] and "data-column-description" not in page
    header = re.search(r'<div class="metadata-description">(.*?)</div>', page, flags=re.DOTALL).group(1)
    assert "/central-asia-space/columns?table=satellites" in header and len(header) < 600


def test_descriptions_show_code_not_backticks(app, release_folder):
    metadata = json.loads((release_folder[1] / "metadata.json").read_text("utf-8"))
    tables = metadata["databases"]["central-asia-space"]["tables"]
    assert not [name for name, table in tables.items() if "`" in table["description_html"]]
    page = get(app, "/central-asia-space/programme_parties").text
    header = re.search(r'<div class="metadata-description">(.*?)</div>', page, flags=re.DOTALL).group(1)
    assert "<code>country_id</code>" in header and "`" not in header


def test_column_descriptions_are_a_page_of_their_own(app):
    rows = get(app, "/central-asia-space/columns.json?table=agencies&_shape=array").json()
    assert rows and {r["table"] for r in rows} == {"agencies"}
    assert any(r["column"] == "successor_agency_id" for r in rows) and not any("`" in (r["description"] or "") for r in rows)


def test_long_text_is_truncated(app):
    settings = json.loads(get(app, "/-/settings.json").text)
    assert 0 < settings["truncate_cells_html"] <= 200
    page = get(app, "/central-asia-space/citations?_size=50").text
    assert "\u2026" in page


def test_the_tables_have_facets_and_sortable_dates(app):
    data = get(app, "/central-asia-space/satellites.json").json()
    assert {"country_id", "status", "object_type"} <= set(data["facet_results"])
    data = get(app, "/central-asia-space/agreements.json").json()
    assert {"status", "agreement_type"} <= set(data["facet_results"])
    page = get(app, "/central-asia-space/satellites").text
    assert "_sort=launch_date" in page and "_sort=status_as_of" in page
    rows = get(app, "/central-asia-space/satellites.json?_sort=launch_date&_shape=array&_size=max").json()
    dates = [r["launch_date"] for r in rows if r["launch_date"]]
    assert dates == sorted(dates) and len(dates) >= 10


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_every_example_is_a_canned_query_that_runs(app, example, release_folder):
    response = get(app, f"/central-asia-space/{example.name}.json?_shape=array")
    assert response.status_code == 200, response.text[:500]
    rows = response.json()
    with sqlite3.connect(f"file:{release_folder[1] / 'central-asia-space.db'}?mode=ro", uri=True) as db:
        assert len(rows) == len(db.execute(example.sql).fetchall()) > 0
    page = get(app, f"/central-asia-space/{example.name}").text
    assert example.question.split(" ")[0] in page
