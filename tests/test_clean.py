"""The real package passes every check, frictionless agrees, and validation writes nothing."""

from __future__ import annotations

import hashlib
import os
import threading
import unicodedata

from conftest import ROOT, run_cli, run_subprocess, run_validator
from edit import append_row, read_rows, set_cell, write_rows


def test_clean_package_has_no_findings():
    result = run_validator(ROOT)
    assert result.code == 0, result.stdout
    assert result.report["valid"] is True and result.report["errors"] == []


def test_frictionless_validates_the_package():
    from frictionless import Package

    report = Package(str(ROOT / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])


def test_command_line_text_report_and_exit_code():
    done = run_subprocess(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1].startswith("VALID")


def test_bad_arguments_exit_2(tmp_path):
    """The process itself once (argparse's own exit is caught before anything heavy is imported), then in-process."""
    assert run_subprocess(ROOT, "--format", "yaml").returncode == 2
    assert run_cli(str(ROOT), "--format", "yaml").returncode == 2
    assert run_cli(str(tmp_path / "no-such-folder")).returncode == 2


def test_validation_changes_nothing(package):
    """Hashes of every file before and after a run, on a damaged package so that the lenient read paths run too."""
    agencies = package / "tables" / "agencies.csv"
    agencies.write_bytes(agencies.read_bytes().replace(b"\nairbus,Airbus,", b'\nairbus,Air"bus,').replace(b"\n", b"\r\n"))
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(package.rglob("*")) if p.is_file()}
    assert run_validator(package).code == 1
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(package.rglob("*")) if p.is_file()}
    assert before == after


def test_a_source_archived_in_nfd_still_matches_its_quotes(fixture):
    """Quotes are NFC, a source may legitimately be archived decomposed: both sides are folded to NFC."""
    source = fixture / "sources" / "news.txt"
    text = source.read_text("utf-8") + "In Kazakh the city is Алматы́, and the agency Қазақ ғарыш агенттігі.\n"
    source.write_text(unicodedata.normalize("NFD", text), "utf-8")
    set_cell(fixture, "sources", "spaceland-news", "sha256", hashlib.sha256(source.read_bytes()).hexdigest())
    append_row(fixture, "citations", {"citation_id": "agency-ksa-2", "source_id": "spaceland-news", "agency_id": "ksa",
                                      "quote": "In Kazakh the city is Алматы́, and the agency Қазақ ғарыш агенттігі."})
    result = run_validator(fixture)
    assert result.code == 0, result.stdout


def test_a_homonym_explained_in_the_note_is_not_a_duplicate(fixture):
    append_row(fixture, "agencies", {"agency_id": "kenya-space-agency-2", "name": "Kenya Space Agency", "agency_type": "national-space-agency",
                                     "country_id": "KEN", "note": "A different body from kenya-space-agency, founded later."})
    append_row(fixture, "citations", {"citation_id": "agency-kenya-space-agency-2-1", "source_id": "spaceland-news",
                                      "quote": "the Kenya Space Agency signed a memorandum", "agency_id": "kenya-space-agency-2"})
    result = run_validator(fixture)
    assert result.code == 0, result.stdout


def twin_of_the_second_forum(fixture, name: str, note: str = "") -> int:
    line = append_row(fixture, "events", {"event_id": "space-forum-2-bis", "name": name, "event_type": "edition", "parent_event_id": "space-forum",
                                          "start_date": "2025-04", "city": "Almaty", "country_id": "KAZ", "note": f"country_id: Kazakhstan, from the city.{note}"})
    append_row(fixture, "citations", {"citation_id": "event-space-forum-2-bis-1", "source_id": "spaceland-news", "event_id": "space-forum-2-bis",
                                      "quote": "The second Space Forum was held in Almaty in April 2025"})
    return line


def test_an_event_homonym_explained_in_the_note_is_not_a_duplicate(fixture):
    twin_of_the_second_forum(fixture, "second Space Forum", " Not space-forum-2: a forum of another series held the same month.")
    result = run_validator(fixture)
    assert result.code == 0, result.stdout


def test_an_alias_of_an_event_is_one_of_its_names(fixture):
    """Where the aliases table can name an event (the fixture's cannot, so a copy gets the column), an event named by
    another's alias on the same date and in the same city is a duplicate."""
    from edit import field, schema

    def event_aliases(spec: dict) -> None:
        spec["fields"].insert(3, {**field(spec, "country_id"), "name": "event_id", "constraints": {"pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}})
        spec["foreignKeys"].append({"fields": ["event_id"], "reference": {"resource": "events", "fields": ["event_id"]}})
        spec["x-rules"][0]["fields"].append("event_id")
    schema(fixture, "aliases", event_aliases)
    rows = read_rows(fixture, "aliases")
    write_rows(fixture, "aliases", [[*r[:3], "event_id" if i == 0 else "", *r[3:]] for i, r in enumerate(rows)])
    append_row(fixture, "aliases", {"alias_id": "space-forum-2-space-forum-1", "event_id": "space-forum-2", "alias": "Space Forum",
                                    "kind": "short-name", "source_id": "spaceland-news"})
    line = twin_of_the_second_forum(fixture, "Space  forum")
    result = run_validator(fixture)
    # the twin's name is also the other event's alias: alias-is-a-name says so from the aliases' side
    assert result.rules() - {"alias-is-a-name"} == {"duplicate-event"}, result.stdout
    assert [e["line"] for e in result.at("duplicate-event")] == [line]


def test_a_named_pipe_never_blocks_a_run(fixture):
    """An open that blocks would hang the run, so the run goes in a thread while this one offers each pipe a writer.
    A pipe can be opened for writing without waiting only while a reader holds it open, and a reader blocked in open()
    does, until that writer comes: so any read of a pipe is seen here and released, and fails the test. No clock:
    a run slowed by a busy machine just takes longer."""
    pipes = [fixture / relative for relative in ["sources/news.txt", "CHANGELOG.md", "schemas/countries.schema.json"]]
    for pipe in pipes:
        pipe.unlink()
        os.mkfifo(pipe)
    results, opened = [], set()

    def run() -> None:
        try:
            results.append(run_validator(fixture))
        except BaseException as exc:  # re-raised below, with its traceback
            results.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    while worker.is_alive():
        for pipe in pipes:
            try:
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:  # ENXIO: no reader has it open
                continue
            opened.add(pipe.relative_to(fixture).as_posix())
        worker.join(0.05)
    assert not opened, f"the run opened {sorted(opened)}, which would block without a writer"
    (result,) = results
    if isinstance(result, BaseException):
        raise result
    assert result.code == 1 and result.stdout.count("not a regular file") >= 3, result.stdout


def test_an_alias_that_is_another_records_name_validates_when_its_note_says_why(fixture):
    """alias-is-a-name fires for the KSA's acronym given to the Committee on Space (the fault), and not where the alias row's
    note explains, in a clause for its record's column that names both, why the source means that record."""
    from edit import schema

    schema(fixture, "aliases", lambda spec: spec["fields"].append({"name": "note", "type": "string"}))  # the fixture's aliases have no note
    write_rows(fixture, "aliases", [[*r, "note" if i == 0 else ""] for i, r in enumerate(read_rows(fixture, "aliases"))])
    row = {"alias_id": "cos-ksa-1", "agency_id": "cos", "alias": "KSA", "kind": "acronym", "source_id": "spaceland-news"}
    append_row(fixture, "aliases", row)
    assert "alias-is-a-name" in run_validator(fixture).rules()
    set_cell(fixture, "aliases", "cos-ksa-1", "note", "agency_id: the news writes 'KSA' for the Committee on Space in one sentence.")
    result = run_validator(fixture)
    assert "alias-is-a-name" not in result.rules(), result.stdout
