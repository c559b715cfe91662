"""Generated, never copied: every page that follows from the code or the data is current, and the README keeps its promises."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT, release_copy


def test_generated_docs_are_current():
    """Every generated page and constant; the figures, which the same command writes, are checked in test_figures.py."""
    from validate.docs import stale

    assert stale(drawn=False) == [], "run: python -m validate.docs"


def test_the_diagram_has_every_foreign_key():
    from validate.docs import diagram_block
    from validate.model import load

    package, _ = load(ROOT)
    pairs = {(fk.resource, t.name, ", ".join(fk.fields)) for t in package.tables.values() for fk in t.foreign_keys}
    drawn = set(re.findall(r"^ {4}(\w+) \|\|--o\{ (\w+) : \"([^\"]+)\"$", diagram_block(package), flags=re.MULTILINE))
    assert drawn == pairs and len(pairs) > 30


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text("utf-8")
    head = readme[: readme.index("## ")]
    assert "<!-- validate-command -->" in head and "-m validate" in head
    assert "<!-- test-command -->" in head and "-m pytest" in head


def test_readme_examples_run(monkeypatch, tmp_path):
    """The README's Python and SQL examples work as written, in a copy of the package with its release built in dist/."""
    import duckdb

    from validate import release

    root = release_copy(tmp_path / "pkg")
    release.build(root, root / "dist")
    monkeypatch.chdir(root)
    readme = (ROOT / "README.md").read_text("utf-8")
    python = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    for block in python:
        exec(compile(block, "README.md", "exec"), {})  # the README's own examples
    sql = re.findall(r"```sql\n(.*?)```", readme, flags=re.DOTALL)
    for block in sql:
        assert duckdb.sql(block).fetchall(), block
    assert len(python) >= 5 and len(sql) >= 2


def test_code_is_ruff_clean():
    folders = [d for d in ("validate", "tests", "bench") if (ROOT / d).is_dir()]
    done = subprocess.run([sys.executable, "-m", "ruff", "check", *folders], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
