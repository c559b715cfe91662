"""Generated, never copied: every page that follows from the code or the data is current, and the README keeps its promises."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT


def test_generated_docs_are_current():
    from validate.docs import stale

    assert stale() == [], "run: python -m validate.docs"


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


def test_readme_python_examples_run(monkeypatch):
    """The loading examples in the README work as written (those whose libraries are installed)."""
    import importlib.util

    monkeypatch.chdir(ROOT)
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), flags=re.DOTALL)
    ran = 0
    for block in blocks:
        modules = re.findall(r"^(?:import|from) (\w+)", block, flags=re.MULTILINE)
        if all(importlib.util.find_spec(m) for m in modules):
            exec(compile(block, "README.md", "exec"), {})  # the README's own examples
            ran += 1
    assert ran >= 3


def test_code_is_ruff_clean():
    folders = [d for d in ("validate", "tests", "bench") if (ROOT / d).is_dir()]
    done = subprocess.run([sys.executable, "-m", "ruff", "check", *folders], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
