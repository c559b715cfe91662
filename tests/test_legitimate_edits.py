"""Every legitimate edit a contributor makes still validates (issue 18): the rules that catch what is wrong must not
catch what is right. Each test makes one such edit to the fixture package and runs the validator in-process."""

from __future__ import annotations

import hashlib

from conftest import run_validator
from edit import append_row, read_rows, set_cell, write_rows


def valid(package) -> None:
    result = run_validator(package)
    assert result.code == 0, result.stdout


def test_a_new_alias_with_its_citation(fixture):
    """'Kazakh agency', stated beside the record's own name in one quote of its source, with that quote's citation."""
    with (fixture / "sources" / "news.txt").open("a", encoding="utf-8") as news:
        news.write("\nThe Kazakh agency, as the press calls the Kazakh Space Agency, opened a new office.\n")
    digest = hashlib.sha256((fixture / "sources" / "news.txt").read_bytes()).hexdigest()
    set_cell(fixture, "sources", "spaceland-news", "sha256", digest)
    append_row(fixture, "citations", {"citation_id": "agency-ksa-9", "source_id": "spaceland-news", "agency_id": "ksa",
                                      "quote": "The Kazakh agency, as the press calls the Kazakh Space Agency, opened a new office."})
    append_row(fixture, "aliases", {"alias_id": "ksa-kazakh-agency-1", "agency_id": "ksa", "alias": "Kazakh agency", "kind": "short-name",
                                    "source_id": "spaceland-news"})
    valid(fixture)


def test_a_disagreement_kept_with_its_note(fixture):
    """A third source gives another founding year: its claim is kept beside the two others, and the row's note says which
    value is preferred over both."""
    text = "Address: https://example.org/guide/observatory\nConsulted: 2025-06-04\n\nGuide to Spaceland. The Spaceland Observatory was founded in 1997.\n"
    (fixture / "sources" / "outside" / "guide.txt").write_text(text, encoding="utf-8")
    append_row(fixture, "sources", {"source_id": "spaceland-guide", "title": "Guide to Spaceland", "extent": "excerpt",
                                    "path": "sources/outside/guide.txt", "sha256": hashlib.sha256(text.encode()).hexdigest(),
                                    "url": "https://example.org/guide/observatory", "url_checked_date": "2025-06-04"})
    append_row(fixture, "citations", {"citation_id": "agency-spaceland-observatory-3", "source_id": "spaceland-guide",
                                      "agency_id": "spaceland-observatory", "quote": "The Spaceland Observatory was founded in 1997.",
                                      "claim_column": "founded_date", "claim_value": "1997"})
    set_cell(fixture, "agencies", "spaceland-observatory", "note",
             "founded_date: 1998, the year the almanac says it opened, is preferred to the register's 1999 and the guide's 1997.")
    valid(fixture)


def test_a_preferred_value_switched_with_its_note(fixture):
    set_cell(fixture, "agencies", "spaceland-observatory", "founded_date", "1999")
    set_cell(fixture, "agencies", "spaceland-observatory", "note",
             "founded_date: 1999, the register's year of founding, is preferred to the almanac's 1998, the year it opened.")
    valid(fixture)


def test_a_preferred_value_switched_with_a_clause_naming_what_it_rejects(fixture):
    set_cell(fixture, "agencies", "spaceland-observatory", "founded_date", "1999")
    set_cell(fixture, "agencies", "spaceland-observatory", "note",
             "founded_date: the register's 1999, its founding, is preferred to the almanac's 1998, the year it opened.")
    valid(fixture)


def test_a_switched_value_without_its_note_is_caught(fixture):
    """The edit above needs its note: the same switch with the old note is a finding (the tests above can fail)."""
    set_cell(fixture, "agencies", "spaceland-observatory", "founded_date", "1999")
    set_cell(fixture, "agencies", "spaceland-observatory", "note", "")
    assert run_validator(fixture).code == 1


def test_reordered_rows(fixture):
    for table in ("agencies", "citations", "aliases", "sources", "events"):
        rows = read_rows(fixture, table)
        write_rows(fixture, table, [rows[0], *reversed(rows[1:])])
    valid(fixture)


def test_a_new_excerpt_with_its_source_and_citation(fixture):
    text = ("Address: https://example.org/gazette/ksa\nConsulted: 2025-06-03\n\n"
            "Spaceland Gazette. The Kazakh Space Agency (KSA) was founded on 3 March 2001 in Astana.\n")
    path = fixture / "sources" / "outside" / "gazette.txt"
    path.write_text(text, encoding="utf-8")
    append_row(fixture, "sources", {"source_id": "spaceland-gazette", "title": "Spaceland Gazette", "extent": "excerpt",
                                    "path": "sources/outside/gazette.txt", "sha256": hashlib.sha256(text.encode()).hexdigest(),
                                    "url": "https://example.org/gazette/ksa", "url_checked_date": "2025-06-03"})
    append_row(fixture, "citations", {"citation_id": "agency-ksa-10", "source_id": "spaceland-gazette", "agency_id": "ksa",
                                      "quote": "The Kazakh Space Agency (KSA) was founded on 3 March 2001 in Astana."})
    valid(fixture)
