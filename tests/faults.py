"""The fault corpus: each entry damages a copy of the clean package in one way and names the rule
the validator must report, the table (or file) it must name, and the CSV line where that applies.

`damage(pkg)` returns the expected line, or None where the finding has no line.
"""

from __future__ import annotations

import os
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from edit import append_row, drop_rows, edit_json, get_cell, line_of, raw, read_rows, resource, set_cell, set_raw, write_rows


@dataclass(frozen=True)
class Fault:
    id: str
    rule: str
    table: str
    damage: Callable[[Path], int | None]
    exit_code: int = 1
    also: frozenset[str] = frozenset()  # other rules the same damage rightly triggers; any rule beyond these fails the test


def _replace_raw(table: str, old: bytes, new: bytes, count: int = 1) -> Callable[[Path], int | None]:
    def damage(pkg: Path) -> int | None:
        data = raw(pkg, table)
        assert old in data, old
        line = data[: data.index(old) + old.startswith(b"\n")].count(b"\n") + 1
        set_raw(pkg, table, data.replace(old, new, count))
        return line
    return damage


def _cell(table: str, key: str, column: str, value: str) -> Callable[[Path], int]:
    return lambda pkg: set_cell(pkg, table, key, column, value)


def _descriptor_not_json(pkg: Path) -> None:
    (pkg / "datapackage.json").write_text('{"name": "central-asia-space", "resources": [', "utf-8")


def _symlink_out(pkg: Path) -> None:
    outside = pkg.parent / "outside.csv"
    shutil.copyfile(pkg / "tables" / "people.csv", outside)
    os.symlink(outside, pkg / "tables" / "people-link.csv")
    resource(pkg, "people", "path", "tables/people-link.csv")


def _swap_header(pkg: Path) -> int:
    rows = read_rows(pkg, "people")
    for r in rows:
        r[1], r[2] = r[2], r[1]
    write_rows(pkg, "people", rows)
    return 1


def _add_column(pkg: Path) -> int:
    rows = read_rows(pkg, "people")
    write_rows(pkg, "people", [r + (["extra"] if i == 0 else ["x"]) for i, r in enumerate(rows)])
    return 1


def _drop_column(pkg: Path) -> int:
    rows = read_rows(pkg, "people")
    write_rows(pkg, "people", [r[:-1] for r in rows])
    return 1


def _rename_header(pkg: Path) -> int:
    rows = read_rows(pkg, "people")
    rows[0][1] = "full_name"
    write_rows(pkg, "people", rows)
    return 1


def _crlf(pkg: Path) -> int:
    set_raw(pkg, "people", raw(pkg, "people").replace(b"\n", b"\r\n"))
    return 1


def _bom(pkg: Path) -> int:
    set_raw(pkg, "people", b"\xef\xbb\xbf" + raw(pkg, "people"))
    return 1


def _blank_line(pkg: Path) -> int:
    data = raw(pkg, "people")
    first = data.index(b"\n")
    set_raw(pkg, "people", data[: first + 1] + b"\n" + data[first + 1:])
    return 2


def _trailing_separator(pkg: Path) -> int:
    data = raw(pkg, "countries").split(b"\n")
    data[3] += b","
    set_raw(pkg, "countries", b"\n".join(data))
    return 4


def _missing_cell(pkg: Path) -> int:
    data = raw(pkg, "countries").split(b"\n")
    data[2] = data[2].split(b",")[0]
    set_raw(pkg, "countries", b"\n".join(data))
    return 3


def _nfd(pkg: Path) -> int:
    name = get_cell(pkg, "countries", "TUR", "name")
    return set_cell(pkg, "countries", "TUR", "name", unicodedata.normalize("NFD", name))


def _empty_table(pkg: Path) -> int:
    set_raw(pkg, "satellite_contributors", raw(pkg, "satellite_contributors").split(b"\n")[0] + b"\n")
    return 2


def _huge_cell(pkg: Path) -> int:
    return set_cell(pkg, "agencies", "baiterek", "note", "note: " + "x" * 1_000_000)


def _source_edited(pkg: Path) -> int:
    path = pkg / "sources" / "003_844ddc9fb5b86a51.txt"
    path.write_bytes(path.read_bytes() + b" ")
    return line_of(pkg, "sources", "space-forum-2025-09-10")


def _source_missing(pkg: Path) -> int:
    (pkg / "sources" / "003_844ddc9fb5b86a51.txt").unlink()
    return line_of(pkg, "sources", "space-forum-2025-09-10")


def _uncited(pkg: Path) -> int:
    drop_rows(pkg, "citations", lambda r: r["agency_id"] != "baiterek")
    return line_of(pkg, "agencies", "baiterek")


def _unreferenced_country(pkg: Path) -> int:
    rows = read_rows(pkg, "countries")
    rows.append(["FIN", "Finland"])
    write_rows(pkg, "countries", [rows[0], *sorted(rows[1:])])
    return line_of(pkg, "countries", "FIN")


def _one_party(pkg: Path) -> int:
    drop_rows(pkg, "agreement_parties", lambda r: r["agreement_party_id"] != "mou-uzbekspace-airbus-airbus")
    return line_of(pkg, "agreements", "mou-uzbekspace-airbus")


def _duplicate_citation(pkg: Path) -> int:
    rows = read_rows(pkg, "citations")
    copy = list(rows[5])
    copy[0] = copy[0] + "-copy"
    rows.append(copy)
    write_rows(pkg, "citations", rows)
    return len(rows)


def _duplicate_key(pkg: Path) -> int:
    rows = read_rows(pkg, "people")
    rows.append(list(rows[1]))
    write_rows(pkg, "people", rows)
    return len(rows)


def _country_code(pkg: Path) -> int:
    # a code that is well-formed but not ISO; added and referred to, so only country-code fires
    line = append_row(pkg, "countries", {"country_id": "XKZ", "name": "Nowhere"})
    set_cell(pkg, "agencies", "voyager", "country_id", "XKZ")
    return line


def _bad_utf8(pkg: Path) -> int:
    data = raw(pkg, "people")
    at = data.index(b"Talgat")
    set_raw(pkg, "people", data[:at] + b"\xff\xfe" + data[at:])
    return data[:at].count(b"\n") + 1


def _note_explains_another_column(pkg: Path) -> int:
    set_cell(pkg, "agencies", "escap", "note", "associate_member_count: the page's 9 territories.")
    return set_cell(pkg, "agencies", "escap", "member_count", "54")


def _drop_resource(name: str) -> Callable[[Path], None]:
    return lambda pkg: edit_json(pkg / "datapackage.json", lambda d: d.update(resources=[r for r in d["resources"] if r["name"] != name]))


def _symlinked_changelog(pkg: Path) -> None:
    outside = pkg.parent / "CHANGELOG.md"
    shutil.copyfile(pkg / "CHANGELOG.md", outside)
    (pkg / "CHANGELOG.md").unlink()
    os.symlink(outside, pkg / "CHANGELOG.md")


def _schema_edit(table: str, change: Callable[[dict], None]) -> Callable[[Path], None]:
    return lambda pkg: edit_json(pkg / "schemas" / f"{table}.schema.json", change)


def _fk_to(resource_name: str) -> Callable[[dict], None]:
    def change(schema: dict) -> None:
        schema["foreignKeys"][0]["reference"]["resource"] = resource_name
    return change


FAULTS: list[Fault] = [
    # package and descriptor
    Fault("descriptor-not-json", "descriptor-unreadable", "datapackage.json", lambda p: _descriptor_not_json(p), exit_code=2),
    Fault("descriptor-bad-name", "descriptor-invalid", "datapackage.json",
          lambda p: edit_json(p / "datapackage.json", lambda d: d.update(name=5))),
    Fault("schema-bad-type", "schema-invalid", "people",
          lambda p: edit_json(p / "schemas" / "people.schema.json", lambda s: s["fields"][1].update(type="strng"))),
    Fault("path-absolute", "path-unsafe", "people", lambda p: resource(p, "people", "path", "/etc/passwd")),
    Fault("path-dotdot", "path-unsafe", "people", lambda p: resource(p, "people", "path", "tables/../../outside.csv")),
    Fault("path-symlink-out", "path-unsafe", "people", _symlink_out),
    Fault("path-url", "path-unsafe", "people", lambda p: resource(p, "people", "path", "https://example.org/people.csv")),
    Fault("resource-file-missing", "resource-missing", "people", lambda p: (p / "tables" / "people.csv").unlink()),
    Fault("citations-resource-undeclared", "resource-missing", "datapackage.json", _drop_resource("citations")),
    Fault("changelog-symlink-out", "path-unsafe", "CHANGELOG.md", _symlinked_changelog),
    Fault("schema-without-primary-key", "schema-invalid", "agencies", _schema_edit("agencies", lambda s: s.pop("primaryKey"))),
    Fault("schema-unknown-row-rule", "schema-invalid", "memberships",
          _schema_edit("memberships", lambda s: s["x-rules"][0].update(rule="exactly_one"))),
    Fault("schema-rule-names-missing-column", "schema-invalid", "memberships",
          _schema_edit("memberships", lambda s: s["x-rules"][0].update(fields=["member_country_id", "member_agncy_id"]))),
    Fault("schema-unknown-quoted-kind", "schema-invalid", "agencies",
          _schema_edit("agencies", lambda s: s["fields"][1].update({"x-quoted": "txt"}))),
    Fault("foreign-key-to-undeclared-table", "foreign-key", "people", _schema_edit("people", _fk_to("agencie"))),
    # raw bytes
    Fault("bom", "encoding-bom", "people", _bom),
    Fault("invalid-utf8", "encoding-utf8", "people", _bad_utf8),
    Fault("crlf", "line-ending", "people", _crlf),
    Fault("stray-cr-in-header", "line-ending", "people", lambda p: set_raw(p, "people", b"\r" + raw(p, "people")) or 1,
          also=frozenset({'header-mismatch'})),
    Fault("blank-line", "blank-line", "people", _blank_line),
    Fault("file-empty", "table-empty", "people", lambda p: set_raw(p, "people", b"") or None, also=frozenset({'header-mismatch'})),
    Fault("file-only-newline", "header-mismatch", "people", lambda p: set_raw(p, "people", b"\n") or 1,
          also=frozenset({'blank-line', 'table-empty'})),
    Fault("no-final-newline", "blank-line", "people", lambda p: set_raw(p, "people", raw(p, "people").rstrip(b"\n")) or 5),
    Fault("trailing-separator", "row-width", "countries", _trailing_separator),
    Fault("stray-quote", "csv-syntax", "agencies", _replace_raw("agencies", b"\nairbus,Airbus,", b'\nairbus,Air"bus,'),
          also=frozenset({'fact-not-in-quote'})),
    Fault("missing-cell", "row-width", "countries", _missing_cell, also=frozenset({'required'})),
    Fault("non-nfc", "unicode-nfc", "countries", _nfd),
    Fault("leading-space", "whitespace", "agencies", _cell("agencies", "airbus", "name", " Airbus")),
    Fault("trailing-space", "whitespace", "agencies", _cell("agencies", "airbus", "name", "Airbus ")),
    Fault("formula-equals", "formula-cell", "agencies", _cell("agencies", "airbus", "note", "=HYPERLINK(\"x\")")),
    Fault("formula-plus", "formula-cell", "agencies", _cell("agencies", "airbus", "note", "+1 note")),
    Fault("formula-minus", "formula-cell", "agencies", _cell("agencies", "airbus", "note", "-1 note")),
    Fault("formula-at", "formula-cell", "agencies", _cell("agencies", "airbus", "note", "@SUM(A1)")),
    Fault("nul-character", "control-character", "agencies", _cell("agencies", "airbus", "note", "a\x00b")),
    Fault("bidi-override", "control-character", "agencies", _cell("agencies", "airbus", "note", "abc\u202edef")),
    Fault("tab-inside-cell", "control-character", "agencies", _cell("agencies", "airbus", "note", "a\tb")),
    Fault("mojibake", "mojibake", "countries", _cell("countries", "TUR", "name", "TÃ¼rkiye")),
    Fault("huge-cell", "cell-too-long", "agencies", _huge_cell, also=frozenset({'length'})),
    Fault("empty-table", "table-empty", "satellite_contributors", _empty_table),
    # header and types
    Fault("header-renamed", "header-mismatch", "people", _rename_header),
    Fault("header-reordered", "header-mismatch", "people", _swap_header),
    Fault("extra-column", "header-mismatch", "people", _add_column),
    Fault("missing-column", "header-mismatch", "people", _drop_column),
    Fault("repeated-column", "header-mismatch", "people",
          lambda p: write_rows(p, "people", [[*r, r[-1]] for r in read_rows(p, "people")]) or 1),
    Fault("integer-not-a-number", "type", "events", _cell("events", "copuos-68", "edition", "sixty-eight")),
    Fault("boolean-not-a-boolean", "type", "events", _cell("events", "copuos-68", "name_supplied", "maybe")),
    # field rules
    Fault("required-empty", "required", "agencies", _cell("agencies", "airbus", "name", "")),
    Fault("required-quoted-empty", "required", "agencies", _replace_raw("agencies", b"\nairbus,Airbus,", b'\nairbus,"",')),
    Fault("duplicate-primary-key", "unique", "people", _duplicate_key),
    Fault("id-not-a-slug", "pattern", "agencies", _cell("agencies", "airbus", "agency_id", "Airbus_SE"),
          also=frozenset({'fact-not-in-quote', 'foreign-key', 'uncited'})),
    Fault("date-malformed", "pattern", "events", _cell("events", "space-days-kazakhstan-2025", "start_date", "2025-9-1")),
    Fault("date-padded-beyond-source", "fact-not-in-quote", "events",
          _cell("events", "central-asia-regional-workshop-2025", "start_date", "2025-09-01")),
    Fault("year-padded-to-january-first", "fact-not-in-quote", "events",
          _cell("events", "space-technology-conference-2022", "start_date", "2022-01-01")),
    Fault("country-code-lowercase", "pattern", "agencies", _cell("agencies", "airbus", "country_id", "fra"), also=frozenset({'foreign-key'})),
    Fault("enum-unknown", "enum", "agencies", _cell("agencies", "airbus", "agency_type", "space-company")),
    Fault("number-out-of-range", "range", "events", _cell("events", "copuos-68", "edition", "0"), also=frozenset({'fact-not-in-quote'})),
    Fault("text-too-short", "length", "citations", _cell("citations", "agency-airbus-1", "quote", "Ai"), also=frozenset({'fact-not-in-quote'})),
    Fault("impossible-date", "calendar-date", "satellites",
          _cell("satellites", "kaz-new-generation-constellations", "planned_launch_to", "2029-02-30"), also=frozenset({'fact-not-in-quote'})),
    # row rules
    Fault("two-members", "exactly-one", "memberships", _cell("memberships", "uzb-copuos", "member_agency_id", "uzbekspace")),
    Fault("no-member", "exactly-one", "memberships", _cell("memberships", "uzb-copuos", "member_country_id", "")),
    Fault("end-before-start", "not-before", "programmes",
          _cell("programmes", "asia-pacific-space-action-plan-2018-2030", "end_date", "2017"), also=frozenset({'fact-not-in-quote'})),
    Fault("count-without-qualifier", "together", "events", _cell("events", "space-camp-turkiye", "participant_count_qualifier", "")),
    Fault("authorised-body-for-nobody", "required-if", "memberships",
          _cell("memberships", "uzbekspace-copuos-authorised-body", "represents_country_id", "")),
    Fault("duplicate-citation", "unique-together", "citations", _duplicate_citation),
    # cross-table
    Fault("dangling-foreign-key", "foreign-key", "agencies", _cell("agencies", "unoosa", "parent_agency_id", "league-of-nations")),
    Fault("dangling-self-reference", "foreign-key", "events", _cell("events", "space-camp-turkiye-season-3", "parent_event_id", "space-camp-mars")),
    Fault("dangling-link-row", "foreign-key", "agreement_parties",
          _cell("agreement_parties", "mou-uzbekspace-airbus-airbus", "party_agency_id", "boeing")),
    Fault("record-without-citation", "uncited", "agencies", _uncited, also=frozenset({'fact-not-in-quote'})),
    Fault("country-nobody-refers-to", "unreferenced", "countries", _unreferenced_country),
    Fault("agreement-with-one-party", "min-children", "agreements", _one_party),
    # provenance
    Fault("source-file-missing", "source-file-missing", "sources", _source_missing),
    Fault("source-edited-after-hash", "source-hash", "sources", _source_edited),
    Fault("quote-not-in-source", "quote-not-in-source", "citations",
          _cell("citations", "agency-airbus-1", "quote", "Airbus is the Uzbekspace agency's only partner")),
    Fault("name-not-in-quote", "fact-not-in-quote", "agencies", _cell("agencies", "airbus", "name", "Airbus Defence and Space")),
    Fault("number-not-in-quote", "fact-not-in-quote", "agencies", _cell("agencies", "copuos", "member_count", "103")),
    Fault("acronym-inside-a-word", "fact-not-in-quote", "agencies", _cell("agencies", "unoosa", "acronym", "ACE")),
    Fault("note-explains-another-column", "fact-not-in-quote", "agencies", _note_explains_another_column),
    Fault("year-not-in-quote", "fact-not-in-quote", "memberships", _cell("memberships", "uzb-copuos", "start_date", "2021")),
    Fault("link-text-not-in-quote", "fact-not-in-quote", "programme_areas",
          _cell("programme_areas", "kaz-national-ssa-system-1", "area", "asteroid mining")),
    Fault("held-event-after-its-report", "date-after-source", "events",
          _cell("events", "kaz-international-space-forum-2025", "start_date", "2025-09-11")),
    Fault("country-code-not-iso", "country-code", "countries", _country_code),
    # versioning
    Fault("version-not-semver", "version-semver", "datapackage.json",
          lambda p: edit_json(p / "datapackage.json", lambda d: d.update(version="0.1")), also=frozenset({'version-changelog'})),
    Fault("version-not-in-changelog", "version-changelog", "datapackage.json",
          lambda p: edit_json(p / "datapackage.json", lambda d: d.update(version="0.2.0"))),
]
