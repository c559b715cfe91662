"""Another Frictionless implementation reads the package: the JavaScript `datapackage` library (tests/interop) loads the
descriptor and reads every row of every resource, cast by its Table Schema.

It needs Node.js and the library installed beside the test (`npm ci --prefix tests/interop`, which CI's workflow runs);
without them the test is skipped and says why. The validator's own rules refuse what this library is known to refuse (a
URI whose host ends in the DNS root dot: the fault `uri-host-root-dot`), so the suite guards it either way.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import ROOT

INTEROP = ROOT / "tests" / "interop"


def read_with_javascript(package) -> dict:
    if shutil.which("node") is None or not (INTEROP / "node_modules" / "datapackage").is_dir():
        pytest.skip("Node.js or the datapackage library is missing: npm ci --prefix tests/interop")
    done = subprocess.run(["node", str(INTEROP / "check.js"), str(package)], capture_output=True, text=True, timeout=600, check=False)
    return json.loads(done.stdout)


def test_the_javascript_library_reads_every_row_of_every_resource():
    result = read_with_javascript(ROOT)
    declared = [r["name"] for r in json.loads((ROOT / "datapackage.json").read_text("utf-8"))["resources"]]
    assert result["valid"], result["errors"]
    assert [r["name"] for r in result["resources"]] == declared
    assert {r["name"]: r["errors"] for r in result["resources"] if r["errors"]} == {}
    assert all(r["rows"] > 0 for r in result["resources"])


def test_the_check_sees_a_uri_the_library_refuses(package):
    """The check can fail: the address with a root dot that the library refused in 0.4.0."""
    path = package / "tables" / "sources.csv"
    text = path.read_text("utf-8")
    path.write_text(text.replace("https://kun.uz/", "https://kun.uz./", 1), "utf-8")
    result = read_with_javascript(package)
    assert [r["name"] for r in result["resources"] if r["errors"]] == ["sources"]
