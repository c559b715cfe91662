"""The per-process cache of table checks (run.check_table): a table is answered from it only when its bytes, its schema
and the code that checks it are the same."""

from __future__ import annotations

from edit import set_cell

from validate import csvfile, run


def rules_of(root) -> set[str]:
    return {f.rule for f in run.validate_package(root)[1]}


def test_a_changed_table_is_checked_again(fixture):
    assert rules_of(fixture) == set()
    set_cell(fixture, "countries", "KAZ", "name", "Kazakhstan\u00a0")  # a no-break space: a cell rule of the table
    assert "whitespace" in rules_of(fixture)
    set_cell(fixture, "countries", "KAZ", "name", "Kazakhstan")
    assert rules_of(fixture) == set()


def test_replaced_code_is_never_answered_from_the_cache(fixture, monkeypatch):
    assert rules_of(fixture) == set()

    def raises(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(csvfile, "table_empty", raises)
    assert "rule-error" in rules_of(fixture)


def test_a_large_table_is_not_kept(fixture, monkeypatch):
    monkeypatch.setattr(run, "CACHED_BYTES", 0)
    run._checked.clear()
    rules_of(fixture)
    assert not run._checked
