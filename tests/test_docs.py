"""Generated, never copied: every page that follows from the code or the data is current, and the README keeps its promises."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_generated_docs_are_current():
    """Every generated page and constant; the figures, which the same command writes, are checked in test_figures.py."""
    from docsgen.generated import stale

    assert stale(drawn=False) == [], "run: python -m docsgen"


def test_the_fault_page_is_current():
    """docs/faults.md lists the fault corpus; it is written beside the corpus, since docsgen never imports the tests."""
    import faults_page

    assert not faults_page.stale(), "run: python tests/faults_page.py"
    assert faults_page.main(["--check"]) == 0


def test_every_module_says_what_it_holds():
    """The module table of docs/design.md is the first sentence of each module's docstring."""
    from docsgen import modules

    missing = [str(path) for path in modules.modules(ROOT) if modules.summary(ROOT / path) == modules.NO_DOCSTRING]
    assert not missing, f"these modules have no docstring for the module table of docs/design.md: {missing}"


def _imported(path: Path) -> set[str]:
    """The top-level names of the modules a file imports (relative imports as '.')."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add("." if node.level else (node.module or "").split(".")[0])
    return names


def test_docsgen_imports_the_validator_never_the_tests():
    """Drawing and docs live outside the validator: docsgen reads validate and never tests; validate never reads docsgen."""
    test_modules = {p.stem for p in (ROOT / "tests").glob("*.py")} | {"tests"}
    for path in sorted((ROOT / "docsgen").rglob("*.py")):
        assert not _imported(path) & test_modules, (path, _imported(path) & test_modules)
        assert "sys.path" not in path.read_text("utf-8"), path
    assert "validate" in set().union(*(_imported(p) for p in (ROOT / "docsgen").rglob("*.py")))
    for path in sorted((ROOT / "validate").glob("*.py")):
        assert not _imported(path) & {"docsgen", "matplotlib", "networkx", *test_modules}, path


def test_the_command_checks_and_writes(tmp_path, monkeypatch, capsys):
    from docsgen import __main__ as command
    from docsgen import generated

    page, figure = tmp_path / "docs" / "page.md", tmp_path / "docs" / "figures" / "timeline.svg"
    monkeypatch.setattr(generated, "outputs", lambda root, drawn=True: {page: "# page\n", figure: b"<svg/>"})
    assert command.main(["--check", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "docs/page.md" in err and "docs/figures/timeline.svg" in err and "run: python -m docsgen" in err
    assert command.main(["--root", str(tmp_path)]) == 0
    assert figure.read_bytes() == b"<svg/>" and page.read_text("utf-8") == "# page\n"
    assert command.main(["--check", "--root", str(tmp_path)]) == 0
    figure.write_bytes(b"<svg></svg>")
    assert command.main(["--check", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "timeline.svg" in err and "page.md" not in err


def test_the_diagram_has_every_foreign_key():
    from docsgen.pages import diagram_block
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


def test_readme_examples_run(monkeypatch, release_build):
    """The README's Python and SQL examples work as written, in a copy of the package with its release built in dist/
    (the run's one release build, conftest.py: the examples only read)."""
    import duckdb

    root, _ = release_build
    files = {p: p.stat().st_mtime_ns for p in root.rglob("*")}
    monkeypatch.chdir(root)
    readme = (ROOT / "README.md").read_text("utf-8")
    python = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    for block in python:
        exec(compile(block, "README.md", "exec"), {})  # the README's own examples
    sql = re.findall(r"```sql\n(.*?)```", readme, flags=re.DOTALL)
    for block in sql:
        assert duckdb.sql(block).fetchall(), block
    assert len(python) >= 3 and len(sql) >= 1  # the worked examples, in docs/examples.md, are run by test_examples.py
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*")} == files, "an example wrote into the shared release build"


def test_code_is_ruff_clean():
    folders = [d for d in ("validate", "docsgen", "tests", "bench") if (ROOT / d).is_dir()]
    done = subprocess.run([sys.executable, "-m", "ruff", "check", *folders], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
