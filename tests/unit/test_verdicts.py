"""The verdict cache: a cached verdict is the one the check gives, and a broken cache is ignored, never trusted."""

from __future__ import annotations

import json

from validate import model, verdicts


def test_a_verdict_is_computed_once_and_then_read(tmp_path, monkeypatch):
    monkeypatch.setenv("CAS_CACHE_DIR", str(tmp_path))
    calls = []

    def compute():
        calls.append(1)
        return ["bad field"]

    assert verdicts.cached("k", "text", "v1", compute) == ("bad field",)
    assert verdicts.cached("k", "text", "v1", compute) == ("bad field",)
    assert len(calls) == 1
    assert verdicts.cached("k", "other text", "v1", compute) == ("bad field",)
    assert verdicts.cached("k", "text", "v2", compute) == ("bad field",)  # another code version: computed afresh
    assert len(calls) == 3


def test_a_corrupt_or_foreign_cache_file_is_recomputed(tmp_path, monkeypatch):
    monkeypatch.setenv("CAS_CACHE_DIR", str(tmp_path))
    verdicts.cached("k", "text", "v", lambda: ["right"])
    (stored,) = (tmp_path / "k").glob("*.json")
    for junk in ("{not json", json.dumps({"a": 1}), json.dumps([1, 2])):
        stored.write_text(junk)
        assert verdicts.cached("k", "text", "v", lambda: ["right"]) == ("right",)


def test_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("CAS_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert verdicts.cached("k", "text", "v", lambda: []) == ()
    assert not any(tmp_path.iterdir())


def test_an_unwritable_cache_is_skipped(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("CAS_CACHE_DIR", str(blocker / "under-a-file"))
    assert verdicts.cached("k", "text", "v", lambda: ["computed"]) == ("computed",)


def test_schema_verdicts_from_the_cache_equal_fresh_ones(tmp_path, monkeypatch):
    """The schema checks give the same messages cold, from the disk cache, and with the cache off."""
    schema = {"fields": [{"name": "a", "type": "string", "x-unknown": 1}], "primaryKey": ["a"]}
    answers = []
    for setting in (str(tmp_path), str(tmp_path), "off"):
        monkeypatch.setenv("CAS_CACHE_DIR", setting)
        model.profile_errors.cache_clear()
        model.extension_problems.cache_clear()
        answers.append(model.schema_invalid(schema))
    assert answers[0] and answers[0] == answers[1] == answers[2]
    assert list((tmp_path / "extensions").glob("*.json")) and list((tmp_path / "profile-schema").glob("*.json"))
