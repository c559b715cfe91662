"""Path safety: what is refused, and that each run resolves paths afresh."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from validate.paths import PathGuard, file_kind


@pytest.mark.parametrize("raw", ["/etc/passwd", "../x.csv", "tables/../../x.csv", "https://example.org/x.csv", "C:\\x.csv", "", None, "a\x00b"])
def test_unsafe_paths_are_refused_before_anything_is_opened(tmp_path, raw):
    path, why = PathGuard(tmp_path).resolve(raw)
    assert path is None and why


def test_a_symlink_out_of_the_package_is_refused(tmp_path):
    (tmp_path / "outside.csv").write_text("x")
    (tmp_path / "pkg").mkdir()
    os.symlink(tmp_path / "outside.csv", tmp_path / "pkg" / "link.csv")
    assert PathGuard(tmp_path / "pkg").resolve("link.csv")[0] is None


def test_a_symlink_swapped_between_two_runs_is_seen_by_the_second(tmp_path):
    """The old process-wide cache resolved a folder once for ever; each PathGuard lives for one run."""
    pkg = tmp_path / "pkg"
    (pkg / "real").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    os.symlink(pkg / "real", pkg / "tables")
    assert PathGuard(pkg).resolve("tables/x.csv")[0] is not None
    (pkg / "tables").unlink()
    os.symlink(tmp_path / "elsewhere", pkg / "tables")
    assert PathGuard(pkg).resolve("tables/x.csv")[0] is None


def test_a_named_pipe_is_not_a_file(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    assert file_kind(tmp_path / "pipe") == "a named pipe"
    path, why, missing = PathGuard(tmp_path).file("pipe")
    assert path is None and "not a regular file" in why and not missing


def test_a_folder_and_a_missing_file_are_told_apart(tmp_path):
    (tmp_path / "dir").mkdir()
    assert PathGuard(tmp_path).file("dir")[1].endswith("refused before it is opened")
    assert PathGuard(tmp_path).file("nothing.csv")[2] is True


def test_a_regular_file_inside_is_accepted(tmp_path):
    (tmp_path / "t.csv").write_text("a\n")
    assert PathGuard(tmp_path).file("t.csv")[0] == Path(tmp_path / "t.csv")
