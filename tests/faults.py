"""The fault corpus: each entry damages a copy of the fixture package (tests/fixture) in one way, and names the rule
the validator must report, the table (or file) it must name, and the CSV line where that applies.

`damage(pkg)` returns the expected line, or None where the finding has no line. `also` lists the other rules the
same damage rightly triggers, each with why; any rule beyond these fails the test. docs/validation.md lists the
corpus (python -m validate.docs); a rule ID leads to its fault here by one search.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from edit import append_row, drop_rows, edit_json, get_cell, line_of, raw, read_rows, resource, schema, set_cell, set_raw, write_rows
from edit import field as field_of


@dataclass(frozen=True)
class Fault:
    id: str
    rule: str
    table: str
    what: str
    damage: Callable[[Path], int | None]
    also: dict[str, str] = field(default_factory=dict)  # rule -> why the same damage rightly triggers it too
    exit_code: int = 1


def cell(table: str, key: str, column: str, value: str) -> Callable[[Path], int]:
    return lambda pkg: set_cell(pkg, table, key, column, value)


def replace_raw(table: str, old: bytes, new: bytes) -> Callable[[Path], int]:
    def damage(pkg: Path) -> int:
        data = raw(pkg, table)
        assert old in data, old
        line = data[: data.index(old) + old.startswith(b"\n")].count(b"\n") + 1
        set_raw(pkg, table, data.replace(old, new, 1))
        return line
    return damage


def in_schema(table: str, change: Callable[[dict], object]) -> Callable[[Path], None]:
    return lambda pkg: schema(pkg, table, change)


def in_changelog(old: str, new: str) -> Callable[[Path], None]:
    def damage(pkg: Path) -> None:
        path = pkg / "CHANGELOG.md"
        text = path.read_text("utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), "utf-8")
    return damage


def changelog_line(old: str, new: str) -> Callable[[Path], int]:
    def damage(pkg: Path) -> int:
        text = (pkg / "CHANGELOG.md").read_text("utf-8")
        in_changelog(old, new)(pkg)
        return text[: text.index(old)].count("\n") + 1
    return damage


def fifo(pkg: Path, relative: str) -> None:
    path = pkg / relative
    path.unlink()
    os.mkfifo(path)


def symlink_out(pkg: Path) -> None:
    outside = pkg.parent / "outside.csv"
    shutil.copyfile(pkg / "tables" / "countries.csv", outside)
    os.symlink(outside, pkg / "tables" / "countries-link.csv")
    resource(pkg, "countries", "path", "tables/countries-link.csv")


def symlinked_changelog(pkg: Path) -> None:
    outside = pkg.parent / "CHANGELOG.md"
    shutil.copyfile(pkg / "CHANGELOG.md", outside)
    (pkg / "CHANGELOG.md").unlink()
    os.symlink(outside, pkg / "CHANGELOG.md")


def symlink_under_sources(pkg: Path) -> None:
    """A file outside the package linked in under sources/, recorded by no row: the release zip once carried its target."""
    outside = pkg.parent / "private-notes.txt"
    outside.write_text("Not part of the package.\n", "utf-8")
    os.symlink(outside, pkg / "sources" / "outside" / "notes.txt")


def archived_twice_via_symlink(pkg: Path) -> int:
    """The news archived a second time as a symlink to its file, recorded and cited under a second ID."""
    os.symlink("news.txt", pkg / "sources" / "news-copy.txt")
    line = append_row(pkg, "sources", {"source_id": "news-copy", "title": "Spaceland News", "extent": "document",
                                       "published_date": "2025-05-02", "path": "sources/news-copy.txt",
                                       "sha256": get_cell(pkg, "sources", "spaceland-news", "sha256")})
    append_row(pkg, "citations", {"citation_id": "agency-ksa-2", "source_id": "news-copy", "agency_id": "ksa",
                                  "quote": "The Kazakh Space Agency (KSA) was founded on 3 March 2001."})
    return line


def unrecorded_excerpt(pkg: Path) -> None:
    """An excerpt saved under sources/outside/ and never recorded: nothing hashes it, and a release would carry it unseen."""
    (pkg / "sources" / "outside" / "almanac-draft.txt").write_text(
        "Address: https://example.org/almanac/draft\nConsulted: 2025-06-01\n\nSpaceland Almanac, draft.\n", "utf-8")


def excerpt_as_markup(pkg: Path) -> int:
    """The almanac's excerpt saved as the page's HTML: its quotes live only in a meta tag's attribute (hash re-recorded)."""
    text = ("Address: https://example.org/almanac/observatory\nConsulted: 2025-06-01\n\n<html><head><meta name=\"description\" "
            "content=\"The Spaceland Observatory opened in 1998 near Almaty. The second Space Forum met in Almaty.\"></head>\n"
            "<body><p>Spaceland Almanac, 2025.</p></body></html>\n")
    return set_cell(pkg, "sources", "spaceland-almanac", "sha256", archive(pkg, "sources/outside/almanac.txt", text))


def rewrite_header(change: Callable[[list[list[str]]], list[list[str]]]) -> Callable[[Path], int]:
    def damage(pkg: Path) -> int:
        write_rows(pkg, "agreement_parties", change(read_rows(pkg, "agreement_parties")))
        return 1
    return damage


def swap(rows: list[list[str]]) -> list[list[str]]:
    return [[r[0], r[2], r[1], *r[3:]] for r in rows]


def rename_quoted_column(pkg: Path) -> int:
    """A column whose name is full of regex characters, quoted like any other."""
    odd = "acronym.*(["
    schema(pkg, "agencies", lambda s: (field_of(s, "acronym").update(name=odd), s.update({"x-names": ["name", odd]})))
    rows = read_rows(pkg, "agencies")
    rows[0][rows[0].index("acronym")] = odd
    write_rows(pkg, "agencies", rows)
    return set_cell(pkg, "agencies", "cos", odd, "XYZ")


def lines_blank(pkg: Path) -> int:
    data = raw(pkg, "countries")
    first = data.index(b"\n")
    set_raw(pkg, "countries", data[: first + 1] + b"\n" + data[first + 1:])
    return 2


def trailing_separator(pkg: Path) -> int:
    lines = raw(pkg, "countries").split(b"\n")
    lines[2] += b","
    set_raw(pkg, "countries", b"\n".join(lines))
    return 3


def missing_cell(pkg: Path) -> int:
    lines = raw(pkg, "countries").split(b"\n")
    lines[1] = lines[1].split(b",")[0]
    set_raw(pkg, "countries", b"\n".join(lines))
    return 2


def bad_utf8(pkg: Path) -> int:
    data = raw(pkg, "countries")
    at = data.index(b"Kenya")
    set_raw(pkg, "countries", data[:at] + b"\xff\xfe" + data[at:])
    return data[:at].count(b"\n") + 1


def nfd(pkg: Path) -> int:
    return set_cell(pkg, "agencies", "ksa", "note", unicodedata.normalize("NFD", "Qazaqstan Ğarış Saparı"))


def duplicate_row(table: str, index: int) -> Callable[[Path], int]:
    def damage(pkg: Path) -> int:
        rows = read_rows(pkg, table)
        copy = list(rows[index])
        rows.append(copy)
        write_rows(pkg, table, rows)
        return len(rows)
    return damage


def duplicate_citation(pkg: Path) -> int:
    rows = read_rows(pkg, "citations")
    rows.append([rows[3][0] + "-copy", *rows[3][1:]])
    write_rows(pkg, "citations", rows)
    return len(rows)


def uncited(pkg: Path) -> int:
    drop_rows(pkg, "citations", lambda r: r["agency_id"] != "ksa")
    return line_of(pkg, "agencies", "ksa")


def one_party(pkg: Path) -> int:
    drop_rows(pkg, "agreement_parties", lambda r: r["party_agency_id"] == "kenya-space-agency")
    return line_of(pkg, "agreements", "ksa-kenya-memorandum")


def unreferenced_country(pkg: Path) -> int:
    return append_row(pkg, "countries", {"country_id": "FIN", "name": "Finland", "region": "Northern Europe"})


def archive(pkg: Path, relative: str, text: str) -> str:
    """Archive a new source file; returns its SHA-256."""
    path = pkg / relative
    path.write_text(text, "utf-8")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def uncited_source(pkg: Path) -> int:
    sha = archive(pkg, "sources/gazette.txt", "Spaceland Gazette, 3 May 2025. The Kazakh Space Agency (KSA) was founded on 3 March 2001.\n")
    return append_row(pkg, "sources", {"source_id": "spaceland-gazette", "title": "Spaceland Gazette", "extent": "document",
                                       "path": "sources/gazette.txt", "sha256": sha})


def source_recorded_twice(pkg: Path) -> int:
    """The news archived once and recorded (and cited) under a second ID: the same file, so the same SHA-256."""
    sha = get_cell(pkg, "sources", "spaceland-news", "sha256")
    line = append_row(pkg, "sources", {"source_id": "news-again", "title": "Spaceland News", "extent": "document",
                                       "published_date": "2025-05-02", "path": "sources/news.txt", "sha256": sha})
    append_row(pkg, "citations", {"citation_id": "agency-ksa-2", "source_id": "news-again", "agency_id": "ksa",
                                  "quote": "The Kazakh Space Agency (KSA) was founded on 3 March 2001."})
    return line


def page_archived_twice(pkg: Path) -> int:
    """The almanac's page archived a second time, its address written with another scheme and case, www. and a trailing slash
    (a host ending in the DNS root dot is no URI: the fault uri-host-root-dot)."""
    url = "http://www.Example.org/almanac/observatory/"
    text = f"Address: {url}\nConsulted: 2025-06-05\n\nSpaceland Almanac, 2025. The Spaceland Observatory opened in 1998 near Almaty.\n"
    line = append_row(pkg, "sources", {"source_id": "almanac-again", "title": "Spaceland Almanac, again", "extent": "excerpt",
                                       "path": "sources/outside/almanac-again.txt", "sha256": archive(pkg, "sources/outside/almanac-again.txt", text),
                                       "url": url, "url_checked_date": "2025-06-05"})
    append_row(pkg, "citations", {"citation_id": "agency-spaceland-observatory-3", "source_id": "almanac-again", "agency_id": "spaceland-observatory",
                                  "quote": "The Spaceland Observatory opened in 1998 near Almaty."})
    return line


def twin_event(pkg: Path) -> int:
    """The second forum recorded again under a new ID, its name in other case, with a citation of its own."""
    line = append_row(pkg, "events", {"event_id": "space-forum-2-bis", "name": "Second Space Forum", "event_type": "edition",
                                      "parent_event_id": "space-forum", "edition": "2", "start_date": "2025-04", "city": "Almaty",
                                      "country_id": "KAZ", "status": "held", "status_as_of": "2025-05", "note": "country_id: Kazakhstan, from the city."})
    append_row(pkg, "citations", {"citation_id": "event-space-forum-2-bis-1", "source_id": "spaceland-news", "event_id": "space-forum-2-bis",
                                  "quote": "The second Space Forum was held in Almaty in April 2025"})
    return line


def country_not_iso(pkg: Path) -> int:
    line = append_row(pkg, "countries", {"country_id": "XKZ", "name": "Nowhere", "region": "Central Asia"})
    set_cell(pkg, "agencies", "ksa", "note", "country_id: Nowhere, for the test.")
    set_cell(pkg, "agencies", "ksa", "country_id", "XKZ")
    return line


def twin_agency(pkg: Path) -> int:
    return append_row(pkg, "agencies", {"agency_id": "ksa-2", "name": "Kazakh Space Agency", "agency_type": "national-space-agency",
                                        "country_id": "KAZ"})


def twin_membership(pkg: Path) -> int:
    """The membership recorded again under a new ID, with a citation of its own."""
    line = append_row(pkg, "memberships", {"membership_id": "kaz-cos-member", "member_country_id": "KAZ", "body_agency_id": "cos", "role": "member",
                                           "start_date": "2010", "status": "active"})
    append_row(pkg, "citations", {"citation_id": "membership-kaz-cos-member-1", "source_id": "spaceland-news", "membership_id": "kaz-cos-member",
                                  "quote": "Since 2010, Kazakhstan has been a member of the Committee on Space (COS)"})
    return line


def twin_agreement(pkg: Path) -> int:
    """The memorandum recorded again under a new ID, with the same two parties and a citation of its own."""
    line = append_row(pkg, "agreements", {"agreement_id": "ksa-kenya-mou", "title": "Memorandum between the KSA and the Kenya Space Agency",
                                          "title_supplied": "true", "status": "signed", "subject": "space weather"})
    for party in ("ksa", "kenya-space-agency"):
        append_row(pkg, "agreement_parties", {"agreement_party_id": f"ksa-kenya-mou-{party}", "agreement_id": "ksa-kenya-mou", "party_agency_id": party,
                                              "basis": "stated"})
    append_row(pkg, "agreement_parties", {"agreement_party_id": "ksa-kenya-mou-kenya", "agreement_id": "ksa-kenya-mou", "party_country_id": "KEN",
                                          "basis": "inferred", "note": "party_country_id: Kenya, whose space agency signed it."})
    append_row(pkg, "citations", {"citation_id": "agreement-ksa-kenya-mou-1", "source_id": "spaceland-news", "agreement_id": "ksa-kenya-mou",
                                  "quote": "The KSA and the Kenya Space Agency signed a memorandum on space weather."})
    return line


def alias(alias_id: str, column: str, key: str, text: str, kind: str) -> Callable[[Path], int]:
    """An alias row from the news, which writes every alias these faults add."""
    return lambda pkg: append_row(pkg, "aliases", {"alias_id": alias_id, column: key, "alias": text, "kind": kind, "source_id": "spaceland-news"})


def three_cycle(pkg: Path) -> int:
    set_cell(pkg, "events", "space-forum-2", "parent_event_id", "space-forum-1")
    set_cell(pkg, "events", "space-forum-1", "parent_event_id", "space-forum")
    return set_cell(pkg, "events", "space-forum", "parent_event_id", "space-forum-2")


def source_edited(pkg: Path) -> int:
    path = pkg / "sources" / "news.txt"
    path.write_bytes(path.read_bytes() + b" ")
    return 2


STRANDED = "the table's own file is now declared by no resource, and so would not be released"


def drop_resource(name: str) -> Callable[[Path], None]:
    return lambda pkg: edit_json(pkg / "datapackage.json", lambda d: d.update(resources=[r for r in d["resources"] if r["name"] != name]))


def rename_column(table: str, old: str, new: str) -> Callable[[Path], None]:
    """A column renamed in its CSV header and in its Table Schema."""
    def damage(pkg: Path) -> None:
        schema(pkg, table, lambda s: field_of(s, old).update(name=new))
        rows = read_rows(pkg, table)
        rows[0] = [new if c == old else c for c in rows[0]]
        write_rows(pkg, table, rows)
    return damage


def rule_that_raises(pkg: Path) -> None:
    """Not damage to the files: the registered rule no-cycle is replaced, for this package's next run only, by a function
    that raises, as a bug in a rule would. The fixture is otherwise valid, so the run reports only the rule-error."""
    from dataclasses import replace

    from validate.registry import RULES

    original, target = RULES["no-cycle"], pkg.resolve()

    def broken(package, frames):
        if package.root.resolve() != target:
            return original.function(package, frames)
        RULES["no-cycle"] = original
        raise RuntimeError("a bug in the rule")

    RULES["no-cycle"] = replace(original, function=broken)



DATE_PATTERN = "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"


def add_column(pkg: Path, table: str, name: str, values: dict[str, str], **spec: object) -> None:
    """A new column in a table's Table Schema and CSV (a partial date unless `spec` says otherwise), filled for the rows
    whose first cell is a key of `values`."""
    spec = spec or {"type": "string", "constraints": {"pattern": DATE_PATTERN}, "x-partial-date": True}
    schema(pkg, table, lambda s: s["fields"].insert(len(s["fields"]) - (s["fields"][-1]["name"] == "note"),
                                                    {"name": name, "title": name, "description": f"{name}, for the test.", **spec}))
    rows = read_rows(pkg, table)
    at = len(rows[0]) - (rows[0][-1] == "note")
    write_rows(pkg, table, [[*r[:at], name if i == 0 else values.get(r[0], ""), *r[at:]] for i, r in enumerate(rows)])


def treaty_in_force_before_signed(pkg: Path) -> int:
    """The memorandum given the treaty dates of the real agreements table: in force in March 2025, signed in April."""
    add_column(pkg, "agreements", "signed_date", {"ksa-kenya-memorandum": "2025-04"})
    add_column(pkg, "agreements", "entry_into_force_date", {"ksa-kenya-memorandum": "2025-03-30"})
    return line_of(pkg, "agreements", "ksa-kenya-memorandum")


def successor_ended_before(pkg: Path) -> int:
    """The KSA (founded 3 March 2001) given a successor that ended in 2000: the successor link and end date of the real
    agencies table, the link explained in the note."""
    add_column(pkg, "agencies", "end_date", {"kenya-space-agency": "2000"})
    add_column(pkg, "agencies", "successor_agency_id", {"ksa": "kenya-space-agency"}, type="string")
    schema(pkg, "agencies", lambda s: s["foreignKeys"].append({"fields": ["successor_agency_id"],
                                                               "reference": {"resource": "", "fields": ["agency_id"]}}))
    return set_cell(pkg, "agencies", "ksa", "note", "successor_agency_id: the Kenya Space Agency, for the test.")


def launch_days_apart(pkg: Path) -> int:
    """A satellites table as the real one dates launches, its local date two days after its UTC date (no time zone is)."""
    fields = [{"name": "satellite_id", "type": "string", "title": "Satellite ID", "description": "Satellite ID: a readable slug.",
               "constraints": {"required": True, "unique": True, "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}}]
    fields += [{"name": n, "type": "string", "title": n, "description": f"{n}, for the test.", "constraints": {"pattern": DATE_PATTERN},
                "x-partial-date": True} for n in ("launch_date", "launch_date_local")]
    (pkg / "schemas" / "satellites.schema.json").write_text(json.dumps({"$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
                                                                       "fields": fields, "primaryKey": ["satellite_id"], "missingValues": [""]},
                                                                      indent=2) + "\n", "utf-8")
    write_rows(pkg, "satellites", [["satellite_id", "launch_date", "launch_date_local"], ["kazsat-1", "2006-06", "2006-06-18"],
                                   ["kazsat-2", "2011-07-15", "2011-07-17"]])
    edit_json(pkg / "datapackage.json", lambda d: d["resources"].append(
        {**next(r for r in d["resources"] if r["name"] == "countries"), "name": "satellites", "title": "Satellites",
         "description": "The fixture's satellites.", "path": "tables/satellites.csv", "schema": "schemas/satellites.schema.json"}))
    return 3


def bounds_beside_a_date(pkg: Path) -> int:
    """A status dated by its source and given bounds as well, which are only for a status that rests on undated sources."""
    add_column(pkg, "events", "status_as_of_earliest", {"space-forum-2": "2025-04"})
    add_column(pkg, "events", "status_as_of_latest", {"space-forum-2": "2025-06-01"})
    return line_of(pkg, "events", "space-forum-2")


NOT_IN_QUOTE = "the damaged value is also a fact the row states, and it is not in the row's quotes"

FAULTS: list[Fault] = [
    # package: descriptor, schemas, paths --------------------------------------------------------------------------------------------
    Fault("descriptor-not-json", "descriptor-unreadable", "datapackage.json", "datapackage.json is cut off mid-way",
          lambda p: (p / "datapackage.json").write_text('{"name": "fixture", "resources": [', "utf-8") and None, exit_code=2),
    Fault("descriptor-is-a-pipe", "descriptor-unreadable", "datapackage.json", "datapackage.json is a named pipe (would block a reader for ever)",
          lambda p: fifo(p, "datapackage.json"), exit_code=2),
    Fault("descriptor-bad-name", "descriptor-invalid", "datapackage.json", "the package name is a number",
          lambda p: edit_json(p / "datapackage.json", lambda d: d.update(name=5))),
    Fault("schema-bad-type", "schema-invalid", "agencies", "a field's type is misspelt ('strng')",
          in_schema("agencies", lambda s: field_of(s, "name").update(type="strng"))),
    Fault("schema-type-not-implemented", "schema-invalid", "countries", "a field is typed geopoint, which the validator does not implement",
          in_schema("countries", lambda s: field_of(s, "name").update(type="geopoint"))),
    Fault("schema-format-not-implemented", "schema-invalid", "sources", "a date field has a custom format, which the validator does not implement",
          in_schema("sources", lambda s: field_of(s, "published_date").update(format="%d.%m.%Y"))),
    Fault("schema-without-primary-key", "schema-invalid", "agencies", "the Table Schema has no primaryKey",
          in_schema("agencies", lambda s: s.pop("primaryKey"))),
    Fault("schema-unknown-row-rule", "schema-invalid", "memberships", "an x-rules kind is misspelt ('exactly_one')",
          in_schema("memberships", lambda s: s["x-rules"][0].update(rule="exactly_one"))),
    Fault("schema-rule-names-missing-column", "schema-invalid", "memberships", "an x-rules rule names a column the table does not have",
          in_schema("memberships", lambda s: s["x-rules"][0].update(fields=["member_country_id", "member_agncy_id"]))),
    Fault("schema-not-before-without-other", "schema-invalid", "memberships", "a not-before rule lacks its 'other' parameter",
          in_schema("memberships", lambda s: s["x-rules"][1].pop("other"))),
    Fault("schema-required-if-without-when", "schema-invalid", "events", "a required-if rule lacks its 'when' parameter",
          in_schema("events", lambda s: s["x-rules"][1].pop("when"))),
    Fault("schema-min-children-without-min", "schema-invalid", "agreements", "a min-children rule lacks 'min'",
          in_schema("agreements", lambda s: s["x-rules"][0].pop("min"))),
    Fault("schema-rule-extra-parameter", "schema-invalid", "events", "a rule carries a parameter its kind does not have (a typo)",
          in_schema("events", lambda s: s["x-rules"][0].update(feilds=["edition"]))),
    Fault("schema-unknown-quoted-kind", "schema-invalid", "agencies", "x-quoted names an unknown kind ('txt')",
          in_schema("agencies", lambda s: field_of(s, "name").update({"x-quoted": "txt"}))),
    Fault("schema-unknown-extension", "schema-invalid", "agencies", "an extension key is misspelt ('x-rule')",
          in_schema("agencies", lambda s: s.update({"x-rule": s.pop("x-rules")}))),
    Fault("schema-bad-pattern", "schema-invalid", "countries", "a pattern is not a valid regular expression",
          in_schema("countries", lambda s: field_of(s, "name").setdefault("constraints", {}).update(pattern="(unclosed"))),
    Fault("foreign-key-to-undeclared-table", "schema-invalid", "agencies", "a foreign key refers to a resource the package does not have",
          in_schema("agencies", lambda s: s["foreignKeys"][0]["reference"].update(resource="countrys"))),
    Fault("foreign-key-to-missing-field", "schema-invalid", "memberships", "a foreign key refers to a field its target table does not have",
          in_schema("memberships", lambda s: s["foreignKeys"][2]["reference"].update(fields=["agency_ident"]))),
    Fault("minimum-written-as-text", "schema-invalid", "agencies", "an integer field's minimum is the string '5'",
          in_schema("agencies", lambda s: field_of(s, "member_count")["constraints"].update(minimum="5"))),
    Fault("enum-of-mixed-types", "schema-invalid", "events", "an enum holds a string and a number",
          in_schema("events", lambda s: field_of(s, "status")["constraints"].update(enum=["held", "planned", 3]))),
    Fault("date-rule-on-a-number", "schema-invalid", "events", "a not-before rule compares an integer field with a date",
          in_schema("events", lambda s: s["x-rules"].append({"rule": "not-before", "field": "edition", "other": "start_date"}))),
    Fault("required-if-integer-with-text", "schema-invalid", "events", "a required-if rule compares an integer column with strings",
          in_schema("events", lambda s: s["x-rules"].append({"rule": "required-if", "field": "city", "when": {"edition": ["1"]}}))),
    Fault("foreign-key-across-types", "schema-invalid", "agencies", "a foreign key from an integer field to a string key",
          in_schema("agencies", lambda s: s["foreignKeys"].append({"fields": ["member_count"], "reference": {"resource": "events", "fields": ["event_id"]}}))),
    Fault("column-named-like-the-row-index", "schema-invalid", "agreements", "a column named '__row', the validator's own row index",
          rename_column("agreements", "subject", "__row")),
    Fault("column-named-as-a-pattern", "schema-invalid", "agreements", "a column named '^title$', which polars reads as a pattern selecting 'title'",
          rename_column("agreements", "subject", "^title$")),
    Fault("source-hash-column-renamed", "schema-invalid", "sources", "the sources table's sha256 column renamed, schema and file",
          rename_column("sources", "sha256", "digest")),
    Fault("rule-that-raises", "rule-error", "datapackage.json", "a registered rule raises (a bug in it), patched in for one run", rule_that_raises),
    Fault("path-absolute", "path-unsafe", "countries", "a resource path is absolute", lambda p: resource(p, "countries", "path", "/etc/passwd"),
          also={"file-unrecorded": STRANDED}),
    Fault("path-dotdot", "path-unsafe", "countries", "a resource path climbs out with '..'",
          lambda p: resource(p, "countries", "path", "tables/../../outside.csv"), also={"file-unrecorded": STRANDED}),
    Fault("path-symlink-out", "path-unsafe", "countries", "a resource path is a symlink to a file outside the package", symlink_out,
          also={"symlink": "the path is a symlink", "file-unrecorded": STRANDED}),
    Fault("path-url", "path-unsafe", "countries", "a resource path is a URL", lambda p: resource(p, "countries", "path", "https://example.org/c.csv"),
          also={"file-unrecorded": STRANDED}),
    Fault("table-is-a-pipe", "path-unsafe", "countries", "a table's file is a named pipe", lambda p: fifo(p, "tables/countries.csv")),
    Fault("source-is-a-pipe", "path-unsafe", "sources", "an archived source is a named pipe", lambda p: fifo(p, "sources/news.txt") or 2),
    Fault("changelog-symlink-out", "path-unsafe", "CHANGELOG.md", "CHANGELOG.md is a symlink out of the package", symlinked_changelog,
          also={"symlink": "CHANGELOG.md is a symlink"}),
    Fault("resource-file-missing", "resource-missing", "countries", "a table's file does not exist",
          lambda p: (p / "tables" / "countries.csv").unlink()),
    Fault("citations-resource-undeclared", "resource-missing", "datapackage.json", "the citations resource is not declared",
          drop_resource("citations"), also={"file-unrecorded": "tables/citations.csv and its schema are now declared by nothing"}),
    Fault("symlink-out-under-sources", "symlink", "sources", "an unrecorded symlink under sources/ to a file outside the package",
          symlink_under_sources),
    Fault("source-archived-twice-via-symlink", "symlink", "sources", "one document archived twice: a second source whose file is a symlink to the first's",
          archived_twice_via_symlink, also={"duplicate-source": "the link reads the same file, so the same SHA-256"}),
    Fault("excerpt-unrecorded", "file-unrecorded", "sources", "an excerpt saved under sources/outside/ that no row of sources records",
          unrecorded_excerpt),
    Fault("table-undeclared", "file-unrecorded", "datapackage.json", "a CSV in tables/ that no resource declares",
          lambda p: (p / "tables" / "launches.csv").write_text("launch_id,date\nkazsat-3,2014-04-28\n", "utf-8") and None),
    Fault("dialect-misdescribes-its-file", "dialect-mismatch", "countries", "a dialect declaring semicolons for a comma-separated file",
          lambda p: resource(p, "countries", "dialect", {"delimiter": ";", "header": True})),
    # file: bytes and structure ----------------------------------------------------------------------------------------------------
    Fault("bom", "encoding-bom", "countries", "the file starts with a byte-order mark",
          lambda p: set_raw(p, "countries", b"\xef\xbb\xbf" + raw(p, "countries")) or 1),
    Fault("invalid-utf8", "encoding-utf8", "countries", "two bytes that are not UTF-8", bad_utf8,
          also={"country-name": "the bytes, read as replacement characters, are now part of Kenya's name"}),
    Fault("crlf", "line-ending", "countries", "CRLF line endings", lambda p: set_raw(p, "countries", raw(p, "countries").replace(b"\n", b"\r\n")) or 1),
    Fault("stray-cr-in-header", "line-ending", "countries", "a carriage return before the header",
          lambda p: set_raw(p, "countries", b"\r" + raw(p, "countries")) or 1,
          also={"header-mismatch": "the first column's name now begins with a carriage return"}),
    Fault("blank-line", "blank-line", "countries", "a blank line after the header", lines_blank),
    Fault("no-final-newline", "blank-line", "countries", "the last line has no newline",
          lambda p: set_raw(p, "countries", raw(p, "countries").rstrip(b"\n")) or 3),
    Fault("file-empty", "table-empty", "agreement_parties", "the file is empty",
          lambda p: set_raw(p, "agreement_parties", b"") or None, also={"header-mismatch": "an empty file has no header"}),
    Fault("file-only-newline", "header-mismatch", "agreement_parties", "the file is one newline",
          lambda p: set_raw(p, "agreement_parties", b"\n") or 1,
          also={"blank-line": "the only line is blank", "table-empty": "there is no row"}),
    Fault("empty-table", "table-empty", "agreement_parties", "a header and no rows",
          lambda p: set_raw(p, "agreement_parties", raw(p, "agreement_parties").split(b"\n")[0] + b"\n") or 2,
          also={"min-children": "the agreement has lost its two parties"}),
    Fault("trailing-separator", "row-width", "countries", "a row ends with a separator", trailing_separator),
    Fault("missing-cell", "row-width", "countries", "a row has one cell fewer than the header", missing_cell,
          also={"required": "the missing cell is a required name", "relation-not-in-quote": "without its name, the country is in no quote",
                "alias-not-stated": "nor is it in any quote with the alias 'Kazakh' of its source",
                "preferred-value": "the cut row loses its established_date, which a citation claims"}),
    Fault("stray-quote", "csv-syntax", "agencies", "a double quote inside an unquoted cell",
          replace_raw("agencies", b"\nksa,Kazakh Space Agency,", b'\nksa,Kazakh Space" Agency,')),
    Fault("header-renamed", "header-mismatch", "agreement_parties", "a column renamed in the header",
          rewrite_header(lambda rows: [[*rows[0][:1], "agreement", *rows[0][2:]], *rows[1:]])),
    Fault("header-reordered", "header-mismatch", "agreement_parties", "two columns swapped, header and cells", rewrite_header(swap)),
    Fault("extra-column", "header-mismatch", "agreement_parties", "a column the schema does not have",
          rewrite_header(lambda rows: [r + (["extra"] if i == 0 else ["x"]) for i, r in enumerate(rows)])),
    Fault("missing-column", "header-mismatch", "agreement_parties", "the last column dropped", rewrite_header(lambda rows: [r[:-1] for r in rows])),
    Fault("repeated-column", "header-mismatch", "agreement_parties", "the last column repeated", rewrite_header(lambda rows: [[*r, r[-1]] for r in rows])),
    # cell hygiene ---------------------------------------------------------------------------------------------------------------------
    Fault("non-nfc", "unicode-nfc", "agencies", "a note in Unicode NFD", nfd),
    Fault("leading-space", "whitespace", "agencies", "a name with a leading space", cell("agencies", "ksa", "note", " a note")),
    Fault("trailing-space", "whitespace", "agencies", "a name with a trailing space", cell("agencies", "ksa", "note", "a note ")),
    Fault("formula-equals", "formula-cell", "agencies", "a cell that begins with =", cell("agencies", "ksa", "note", '=HYPERLINK("x")')),
    Fault("formula-plus", "formula-cell", "agencies", "a cell that begins with +", cell("agencies", "ksa", "note", "+1 note")),
    Fault("formula-minus", "formula-cell", "agencies", "a cell that begins with -", cell("agencies", "ksa", "note", "-1 note")),
    Fault("formula-at", "formula-cell", "agencies", "a cell that begins with @", cell("agencies", "ksa", "note", "@SUM(A1)")),
    Fault("nul-character", "control-character", "agencies", "a NUL inside a cell", cell("agencies", "ksa", "note", "a\x00b")),
    Fault("tab-inside-cell", "control-character", "agencies", "a tab inside a cell", cell("agencies", "ksa", "note", "a\tb")),
    Fault("bidi-override", "control-character", "agencies", "a right-to-left override", cell("agencies", "ksa", "note", "abc\u202edef")),
    Fault("soft-hyphen", "control-character", "agencies", "a soft hyphen (Cf)", cell("agencies", "ksa", "note", "Kazakh\u00adstan")),
    Fault("zero-width-joiner", "control-character", "agencies", "a zero-width joiner (Cf)", cell("agencies", "ksa", "note", "a\u200db")),
    Fault("arabic-letter-mark", "control-character", "agencies", "an Arabic letter mark (Cf)", cell("agencies", "ksa", "note", "a\u061cb")),
    Fault("line-separator", "control-character", "agencies", "a Unicode line separator (Zl)", cell("agencies", "ksa", "note", "a\u2028b")),
    Fault("paragraph-separator", "control-character", "agencies", "a Unicode paragraph separator (Zp)", cell("agencies", "ksa", "note", "a\u2029b")),
    Fault("noncharacter", "control-character", "agencies", "a noncharacter (U+FFFE)", cell("agencies", "ksa", "note", "a\ufffeb")),
    Fault("tag-character", "control-character", "agencies", "an invisible tag character (U+E0041)", cell("agencies", "ksa", "note", "a\U000e0041b")),
    Fault("markdown-in-a-note", "markdown", "agencies", "Markdown emphasis in a note", cell("agencies", "ksa", "note", "the **first** agency")),
    Fault("working-note-todo", "working-note", "agencies", "a compiler's to-do left in a note", cell("agencies", "ksa", "note", "TODO: check the decree")),
    Fault("working-note-phrase", "working-note", "events", "a note that plans the research ('new agency id if found')",
          cell("events", "space-forum-2", "note", "country_id: Kazakhstan, from the city. Organiser: new agency id if found.")),
    Fault("mojibake", "mojibake", "countries", "UTF-8 decoded as Latin-1", cell("countries", "KAZ", "name", "KazakhstÃ¡n"),
          also={"relation-not-in-quote": "the country's name, now garbled, is no longer in the quotes that named it",
                "country-name": "the garbled name is not ISO's", "alias-not-stated": "nor is it in any quote with the alias 'Kazakh' of its source"}),
    Fault("huge-cell", "cell-too-long", "agencies", "a million-character cell", cell("agencies", "ksa", "note", "note " + "x" * 1_000_000),
          also={"length": "the note's maxLength is 2,000"}),
    Fault("placeholder-n-a", "placeholder", "agencies", "N/A for a missing value", cell("agencies", "ksa", "note", "N/A")),
    Fault("placeholder-unknown", "placeholder", "agencies", "'unknown' for a missing value", cell("agencies", "ksa", "note", "Unknown")),
    Fault("placeholder-null", "placeholder", "agencies", "'null' for a missing value", cell("agencies", "ksa", "note", "null")),
    Fault("placeholder-question-mark", "placeholder", "agencies", "'?' for a missing value", cell("agencies", "ksa", "note", "?")),
    Fault("placeholder-dash", "placeholder", "agencies", "'-' for a missing value", cell("agencies", "ksa", "note", "-"),
          also={"formula-cell": "'-' also begins like a formula"}),
    # schema: types and field constraints -------------------------------------------------------------------------------------------
    Fault("integer-not-a-number", "type", "events", "an integer written as a word", cell("events", "space-forum-2", "edition", "second")),
    Fault("boolean-not-a-boolean", "type", "agreements", "a boolean that is neither true nor false",
          cell("agreements", "ksa-kenya-memorandum", "title_supplied", "maybe"),
          also={"fact-not-in-quote": "with no valid title_supplied, the supplied title is checked against the quotes"}),
    Fault("date-not-a-date", "type", "sources", "a date-typed cell that is no date (2025-13-45)",
          cell("sources", "spaceland-news", "published_date", "2025-13-45"),
          also={"status-dated-by-source": "with its date unreadable the news is undated, and the forums' statuses it states are dated"}),
    Fault("uri-not-a-uri", "type", "sources", "an address that is not a URI", cell("sources", "spaceland-news", "url", "somewhere on the web")),
    Fault("uri-host-root-dot", "type", "sources", "an address whose host ends in the DNS root dot (refused by the JavaScript datapackage library's uri format)",
          cell("sources", "spaceland-news", "url", "https://spaceland.example./news")),
    Fault("required-empty", "required", "agencies", "a required name left empty", cell("agencies", "ksa", "name", "")),
    Fault("required-quoted-empty", "required", "agencies", "a required name written as a quoted empty cell",
          replace_raw("agencies", b"\nksa,Kazakh Space Agency,", b'\nksa,"",')),
    Fault("duplicate-primary-key", "unique", "countries", "a country listed twice", duplicate_row("countries", 1)),
    Fault("id-not-a-slug", "pattern", "agencies", "an ID with capitals and an underscore",
          cell("agencies", "kenya-space-agency", "agency_id", "Kenya_SA"),
          also={"foreign-key": "the party and citation rows still name the old ID", "uncited": "no citation names the new ID",
                "fact-not-in-quote": "with no citation, the row's facts are in no quote",
                "relation-not-in-quote": "the agency, under its new ID, has no quote to name its country; the party row still names the old ID"}),
    Fault("date-malformed", "pattern", "events", "a month without its leading zero", cell("events", "space-forum-2", "start_date", "2025-4")),
    Fault("country-code-lowercase", "pattern", "agencies", "a lowercase country code", cell("agencies", "ksa", "country_id", "kaz"),
          also={"foreign-key": "'kaz' is no country_id"}),
    Fault("enum-unknown", "enum", "agencies", "a type outside the vocabulary", cell("agencies", "ksa", "agency_type", "space-company")),
    Fault("number-out-of-range", "range", "events", "an edition of 0", cell("events", "space-forum-2", "edition", "0"),
          also={"fact-not-in-quote": NOT_IN_QUOTE}),
    Fault("text-too-short", "length", "citations", "a two-letter quote", cell("citations", "agency-ksa-1", "quote", "Th"),
          also={"fact-not-in-quote": "the short quote no longer holds the agency's name and date",
                "relation-not-in-quote": "nor the agency's country", "quote-supports-row": "nor anything else the agency states"}),
    Fault("integer-with-leading-zero", "type", "agencies", "an integer written with a leading zero ('0102': NORAD 039731 would not join)",
          cell("agencies", "cos", "member_count", "0102")),
    Fault("version-with-leading-zero", "pattern", "retired_ids", "a release written '01.1.0'", cell("retired_ids", "space-forum-2025", "version", "01.1.0"),
          also={"retired-id-map": "'01.1.0' is no release of the CHANGELOG, which retires the ID in 1.1.0"}),
    Fault("impossible-date", "calendar-date", "agencies", "30 February", cell("agencies", "ksa", "founded_date", "2001-02-30"),
          also={"fact-not-in-quote": NOT_IN_QUOTE}),
    # row rules ----------------------------------------------------------------------------------------------------------------------
    Fault("two-members", "exactly-one", "memberships", "a membership with a member state and a member organisation",
          cell("memberships", "kaz-cos", "member_agency_id", "ksa")),
    Fault("no-member", "exactly-one", "memberships", "a membership without a member", cell("memberships", "kaz-cos", "member_country_id", "")),
    Fault("end-before-start", "not-before", "memberships", "an end before the start (the membership marked ended)",
          lambda p: (set_cell(p, "memberships", "kaz-cos", "status", "ended"), set_cell(p, "memberships", "kaz-cos", "end_date", "2009"))[-1],
          also={"fact-not-in-quote": NOT_IN_QUOTE}),
    Fault("active-with-end-date", "empty-if", "memberships", "a membership still marked active that has an end date",
          cell("memberships", "kaz-cos", "end_date", "2020"), also={"fact-not-in-quote": NOT_IN_QUOTE}),
    Fault("count-without-qualifier", "together", "events", "a participant count without its qualifier",
          cell("events", "space-forum-2", "participant_count", "700"), also={"fact-not-in-quote": NOT_IN_QUOTE}),
    Fault("edition-without-series", "required-if", "events", "an edition with no series", cell("events", "space-forum-1", "parent_event_id", "")),
    Fault("duplicate-citation", "unique-together", "citations", "the same citation twice under two IDs", duplicate_citation),
    Fault("inferred-without-explanation", "explained-if", "agreement_parties", "a party marked inferred with no note saying why",
          cell("agreement_parties", "ksa-kenya-memorandum-ksa", "basis", "inferred")),
    Fault("member-of-itself", "distinct-columns", "memberships", "an organisation that is a member of itself",
          lambda p: cell("memberships", "kaz-cos", "member_country_id", "")(p) and set_cell(p, "memberships", "kaz-cos", "member_agency_id", "cos")),
    # integrity ----------------------------------------------------------------------------------------------------------------------
    Fault("dangling-foreign-key", "foreign-key", "agencies", "a parent that does not exist",
          cell("agencies", "cos", "parent_agency_id", "league-of-nations")),
    Fault("dangling-self-reference", "foreign-key", "events", "a series that does not exist", cell("events", "space-forum-2", "parent_event_id", "space-forum-9")),
    Fault("dangling-link-row", "foreign-key", "agreement_parties", "a party ID with a typo",
          cell("agreement_parties", "ksa-kenya-memorandum-kenya-space-agency", "party_agency_id", "kenya-spce-agency")),
    Fault("record-without-citation", "uncited", "agencies", "an agency with no citation", uncited,
          also={"fact-not-in-quote": "with no citation, the agency's facts are in no quote", "relation-not-in-quote": "nor its country"}),
    Fault("country-nobody-refers-to", "unreferenced", "countries", "a country no row refers to", unreferenced_country),
    Fault("source-nobody-cites", "unreferenced", "sources", "a source no citation cites", uncited_source),
    Fault("agreement-with-one-party", "min-children", "agreements", "an agreement with one party", one_party),
    Fault("own-parent", "no-cycle", "agencies", "an organisation that is its own parent", cell("agencies", "cos", "parent_agency_id", "cos")),
    Fault("two-parents-in-a-loop", "no-cycle", "agencies", "two organisations that are each other's parent",
          cell("agencies", "united-nations", "parent_agency_id", "cos")),
    Fault("three-events-in-a-loop", "no-cycle", "events", "three events each the parent of the next, in a loop", three_cycle,
          also={"relation-not-in-quote": "the new parents are not named in their children's quotes"}),
    Fault("same-record-two-ids", "distinct-records", "agencies", "the same agency under a second ID", twin_agency,
          also={"uncited": "the twin has no citation", "fact-not-in-quote": "the twin's name is in no quote of its own",
                "relation-not-in-quote": "nor its country"}),
    Fault("source-recorded-twice", "duplicate-source", "sources", "one archived file recorded as two sources (the same SHA-256)",
          source_recorded_twice),
    Fault("page-recorded-twice", "duplicate-source", "sources", "one page archived twice, its address differing only in scheme, case, www. and a slash",
          page_archived_twice),
    Fault("same-event-two-ids", "duplicate-event", "events", "the same edition under a second ID, with its own citation", twin_event),
    Fault("same-membership-two-ids", "distinct-records", "memberships", "the same membership (member, body, start) under a second ID, with its own citation",
          twin_membership),
    Fault("same-agreement-two-ids", "distinct-records", "agreements", "the same agreement (title and parties) under a second ID, with its parties and citation",
          twin_agreement),
    Fault("alias-of-two-records", "alias-ambiguous", "aliases", "one source's short name 'Space Agency' given to two agencies",
          lambda p: (alias("ksa-space-agency-1", "agency_id", "ksa", "Space Agency", "short-name")(p),
                     alias("kenya-space-agency-space-agency-1", "agency_id", "kenya-space-agency", "space agency", "short-name")(p))[-1]),
    Fault("alias-is-another-records-acronym", "alias-is-a-name", "aliases", "the KSA's acronym recorded as an alias of the Committee on Space",
          alias("cos-ksa-1", "agency_id", "cos", "KSA", "acronym")),
    Fault("alias-repeats-the-name", "alias-case-variant", "aliases", "the agency's own name, in lower case, recorded as its alias",
          alias("ksa-kazakh-space-agency-1", "agency_id", "ksa", "Kazakh space agency", "short-name")),
    Fault("alias-case-variant-of-an-alias", "alias-case-variant", "aliases", "'The Committee' beside 'the Committee', same record and source",
          alias("cos-the-committee-2", "agency_id", "cos", "The Committee", "short-name")),
    Fault("reference-row-states-an-uncited-date", "uncited", "countries", "Kenya given a date of independence that no citation supports",
          cell("countries", "KEN", "established_date", "1963-12-12"), also={"fact-not-in-quote": NOT_IN_QUOTE}),
    # time -------------------------------------------------------------------------------------------------------------------------
    Fault("title-the-document-does-not-print", "title-not-printed", "sources", "the news recorded under a title it does not print",
          cell("sources", "spaceland-news", "title", "Spaceland Herald")),
    Fault("published-date-not-the-addresss", "published-date", "sources", "the almanac's page addressed under /2025/05/29/, dated 30 May",
          cell("sources", "spaceland-almanac", "url", "https://example.org/2025/05/29/almanac/observatory"),
          also={"excerpt-header": "the excerpt's Address line still gives the old address"}),
    Fault("in-force-before-signed", "act-order", "agreements", "an agreement in force (30 March 2025) before it was signed (April 2025)",
          treaty_in_force_before_signed),
    Fault("edition-before-its-series", "before-founding", "events", "the series dated 2025, after its first edition (2024)",
          lambda p: (set_cell(p, "events", "space-forum", "start_date", "2025"), line_of(p, "events", "space-forum-1"))[-1]),
    Fault("member-before-it-was-founded", "before-founding", "memberships", "the KSA an observer from 2000, before it was founded (2001)",
          cell("memberships", "ksa-cos", "start_date", "2000"), also={"fact-not-in-quote": NOT_IN_QUOTE}),
    Fault("member-state-before-it-existed", "before-founding", "memberships", "Kazakhstan a member from 1990, before it came into being (1991-12-16)",
          cell("memberships", "kaz-cos", "start_date", "1990"), also={"fact-not-in-quote": NOT_IN_QUOTE}),
    Fault("successor-ended-before-predecessor-began", "succession-order", "agencies", "a successor that ended (2000) before its predecessor was founded (2001)",
          successor_ended_before),
    Fault("launch-local-days-from-utc", "launch-date-local", "satellites", "a local launch date two days after the UTC date", launch_days_apart),
    Fault("consulted-in-the-future", "consulted-date", "sources", "a page consulted in 2999",
          lambda p: (set_cell(p, "sources", "spaceland-news", "url", "https://spaceland.example/news"),
                     set_cell(p, "sources", "spaceland-news", "url_checked_date", "2999-01-01"))[-1]),
    Fault("consulted-before-published", "consulted-date", "sources", "a register consulted on 2 June 2025 and dated 15 July 2025",
          cell("sources", "observatory-register", "published_date", "2025-07-15")),
    Fault("bounds-beside-a-date", "date-or-bounds", "events", "a status dated by its source and bounded as well", bounds_beside_a_date),
    # provenance ---------------------------------------------------------------------------------------------------------------------
    Fault("source-file-missing", "source-file-missing", "sources", "an archived source deleted", lambda p: (p / "sources" / "news.txt").unlink() or 2),
    Fault("source-edited-after-hash", "source-hash", "sources", "an archived source edited after its hash was recorded", source_edited),
    Fault("quote-not-in-source", "quote-not-in-source", "citations", "a quote the source does not contain",
          cell("citations", "agency-ksa-1", "quote", "The Kazakh Space Agency (KSA) was founded on 3 March 2001 by decree.")),
    Fault("name-not-in-quote", "fact-not-in-quote", "agencies", "a name the quotes do not give", cell("agencies", "ksa", "name", "Kazakh Space Agency of Spaceland")),
    Fault("number-not-in-quote", "fact-not-in-quote", "agencies", "a member count the quotes do not give", cell("agencies", "cos", "member_count", "103")),
    Fault("acronym-inside-a-word", "fact-not-in-quote", "agencies", "an acronym found only inside a word ('PAC' in 'Space')",
          cell("agencies", "cos", "acronym", "PAC")),
    Fault("note-explains-another-column", "fact-not-in-quote", "agencies", "a note that explains a different column than the one that needs it",
          lambda p: cell("agencies", "cos", "note", "acronym: as given.")(p) and set_cell(p, "agencies", "cos", "member_count", "103")),
    Fault("year-not-in-quote", "fact-not-in-quote", "memberships", "a start year the quotes do not give", cell("memberships", "kaz-cos", "start_date", "2011")),
    Fault("date-padded-beyond-source", "fact-not-in-quote", "events", "a day padded onto a month ('2025-04-01' for April 2025)",
          cell("events", "space-forum-2", "start_date", "2025-04-01")),
    Fault("year-padded-to-january-first", "fact-not-in-quote", "events", "a year padded to 1 January", cell("events", "space-forum-1", "start_date", "2024-01-01")),
    Fault("quoted-column-with-regex-characters", "fact-not-in-quote", "agencies", "a quoted column named 'acronym.*([' holds a value not in the quotes",
          rename_quoted_column),
    Fault("held-event-after-its-report", "not-after-source", "events", "an event reported as held, dated after the report",
          cell("events", "space-forum-2", "start_date", "2025-06"), also={"fact-not-in-quote": NOT_IN_QUOTE}),
    Fault("status-dated-after-its-source", "status-dated-by-source", "events", "a status dated after the one source that states it",
          cell("events", "space-forum-2", "status_as_of", "2025-06")),
    Fault("status-dated-by-a-source-not-stating-it", "status-dated-by-source", "events",
          "a status dated by a later source that cites the event but does not state its status (the news claims it)",
          cell("events", "space-forum-2", "status_as_of", "2025-05-30")),
    Fault("status-dated-when-consulted", "status-dated-by-source", "events", "a status dated the day a page was consulted, after every source citing it",
          cell("events", "space-forum-1", "status_as_of", "2025-06-01")),
    Fault("status-dated-with-undated-source", "status-dated-by-source", "events", "a dated status whose only source has no published_date",
          lambda p: (cell("sources", "spaceland-news", "published_date", "")(p), line_of(p, "events", "space-forum-2"))[-1]),
    Fault("country-code-not-iso", "country-code", "countries", "a well-formed code that is not ISO 3166-1", country_not_iso),
    Fault("country-name-look-alike", "country-name", "countries", "a Cyrillic 'а' in 'Kazakhstаn'", cell("countries", "KAZ", "name", "Kazakhstаn"),
          also={"relation-not-in-quote": "the membership's quote names 'Kazakhstan', which is no longer the country's name",
                "alias-not-stated": "nor is it in any quote with the alias 'Kazakh' of its source"}),
    Fault("country-name-not-iso", "country-name", "countries", "a country under its official name, not ISO's short name",
          cell("countries", "KEN", "name", "Republic of Kenya"), also={"relation-not-in-quote": "the quotes say 'Kenya', no longer the country's name"}),
    Fault("member-swapped", "relation-not-in-quote", "memberships", "a member state swapped for another the quotes do not name",
          cell("memberships", "kaz-cos", "member_country_id", "KEN")),
    Fault("party-swapped", "relation-not-in-quote", "agreement_parties", "a party of an agreement swapped for an organisation its quotes do not name",
          cell("agreement_parties", "ksa-kenya-memorandum-kenya-space-agency", "party_agency_id", "cos")),
    Fault("parent-swapped", "relation-not-in-quote", "agencies", "a parent organisation swapped for one the quotes do not name",
          cell("agencies", "cos", "parent_agency_id", "ksa")),
    Fault("country-swapped", "relation-not-in-quote", "agencies", "an agency's country swapped for another (the alias 'Kazakh' supported the first)",
          cell("agencies", "ksa", "country_id", "KEN")),
    Fault("explained-country-swapped", "relation-not-in-quote", "events",
          "an event's country swapped for another, its note's 'country_id:' clause still naming the first",
          cell("events", "space-forum-2", "country_id", "KEN")),
    Fault("alias-moved", "alias-not-stated", "aliases", "an alias moved to another record, which no quote of its source names with it",
          cell("aliases", "cos-the-committee-1", "agency_id", "kenya-space-agency")),
    Fault("alias-not-in-its-source", "alias-not-in-source", "aliases", "an alternative name its source never writes",
          lambda p: append_row(p, "aliases", {"alias_id": "ken-kenyan-1", "country_id": "KEN", "alias": "Kenyan", "kind": "demonym",
                                              "source_id": "spaceland-news"}),
          also={"alias-not-stated": "an alias its source never writes is in none of its quotes either"}),
    Fault("claim-for-unknown-column", "claim-column", "citations", "a claim for a column its record's table does not have",
          cell("citations", "agency-spaceland-observatory-2", "claim_column", "opened_date")),
    Fault("claim-value-not-a-date", "claim-column", "citations", "a claimed date that is not a date of the column's shape",
          cell("citations", "agency-spaceland-observatory-2", "claim_value", "about 1999"),
          also={"claim-in-quote": "'about 1999' is not in the quote either",
                "rejected-value-unnamed": "the note names the register's 1999, not 'about 1999'"}),
    Fault("claim-of-a-record-that-does-not-exist", "claim-column", "citations", "a claimed country (a foreign key) that no country record has",
          lambda p: (set_cell(p, "citations", "agency-spaceland-observatory-2", "claim_column", "country_id"),
                     set_cell(p, "citations", "agency-spaceland-observatory-2", "claim_value", "XKX"))[-1],
          also={"claim-in-quote": "no record, so no name of it in the quote", "preferred-value": "the row's country is not the one claimed"}),
    Fault("row-holds-the-rejected-value", "value-the-note-rejects", "agencies",
          "the register's 1999 in the row, while its note keeps the almanac's 1998 and rejects 1999",
          lambda p: (set_cell(p, "agencies", "spaceland-observatory", "note",
                              "founded_date: 1998, the year the almanac says it opened, is preferred to the register's 1999."),
                     set_cell(p, "agencies", "spaceland-observatory", "founded_date", "1999"))[-1],
          also={"rejected-value-unnamed": "for the row's 1999, the almanac's 1998 is the value set aside, and the clause names it before 'preferred to'"}),
    Fault("claim-not-in-its-quote", "claim-in-quote", "citations", "a claimed value its own quote does not state",
          cell("citations", "agency-spaceland-observatory-2", "claim_value", "1997"),
          also={"rejected-value-unnamed": "the note names the register's 1999, not the 1997 now claimed"}),
    Fault("claim-explained-in-citation-note", "preferred-value", "agencies",
          "a claim explained in its citation's note passes claim-in-quote, but a row value no citation claims is still caught",
          lambda p: (set_cell(p, "citations", "agency-spaceland-observatory-2", "note", "claim_value: the register's 'founded 1999' read as 1997 for the test."),
                     set_cell(p, "citations", "agency-spaceland-observatory-2", "claim_value", "1997"),
                     set_cell(p, "agencies", "spaceland-observatory", "founded_date", "1996"))[-1]),
    Fault("rejected-value-unnamed", "rejected-value-unnamed", "agencies", "a note that keeps one date and does not name the other source's",
          cell("agencies", "spaceland-observatory", "note", "founded_date: the almanac's 1998, the year it opened, is kept.")),
    Fault("disagreement-unexplained", "preferred-value", "agencies", "two sources disagree and the row's note does not say which value is preferred",
          cell("agencies", "spaceland-observatory", "note", "")),
    Fault("preferred-value-not-claimed", "preferred-value", "agencies", "a row value that none of the citations claiming its column gives",
          cell("agencies", "spaceland-observatory", "founded_date", "2000")),
    Fault("excerpt-without-address", "excerpt-header", "sources", "an archived excerpt whose first line is not its address",
          lambda p: ((p / "sources/outside/almanac.txt").write_text("Spaceland Almanac, 2025. The Spaceland Observatory opened in 1998 near Almaty. "
                                                                    "The second Space Forum met in Almaty.\n", "utf-8"),
                     line_of(p, "sources", "spaceland-almanac"))[-1],
          also={"source-hash": "the file changed after its hash was recorded"}),
    Fault("excerpt-consulted-date-differs", "excerpt-header", "sources", "an excerpt whose Consulted line differs from url_checked_date",
          cell("sources", "observatory-register", "url_checked_date", "2025-06-03")),
    Fault("excerpt-saved-as-markup", "excerpt-markup", "sources", "an excerpt saved as HTML, its quoted words only in a tag's attribute",
          excerpt_as_markup),
    Fault("quote-states-nothing-of-its-row", "quote-supports-row", "citations", "a second citation whose quote states none of its record's values",
          lambda p: append_row(p, "citations", {"citation_id": "agency-ksa-2", "source_id": "spaceland-news", "quote": "which has 102 members",
                                                "agency_id": "ksa"})),
    Fault("generic-words-are-no-evidence", "quote-supports-row", "citations", "a quote whose only match is the generic alias 'the Committee'",
          lambda p: append_row(p, "citations", {"citation_id": "agency-cos-2", "source_id": "spaceland-news", "quote": "The Committee",
                                                "agency_id": "cos"})),
    Fault("country-in-another-region", "country-region", "countries", "a Central Asian state placed in Western Asia",
          cell("countries", "KAZ", "region", "Western Asia")),
    # versioning ---------------------------------------------------------------------------------------------------------------------
    Fault("version-not-semver", "version-semver", "datapackage.json", "version '1.1'",
          lambda p: edit_json(p / "datapackage.json", lambda d: d.update(version="1.1")),
          also={"version-changelog": "'1.1' is not the newest release either"}),
    Fault("version-not-in-changelog", "version-changelog", "datapackage.json", "a version the CHANGELOG does not have",
          lambda p: edit_json(p / "datapackage.json", lambda d: d.update(version="1.2.0"))),
    Fault("changelog-bad-heading", "version-changelog", "CHANGELOG.md", "a release heading without its patch number",
          changelog_line("## [1.0.0] - 2025-05-10", "## [1.0] - 2025-05-10")),
    Fault("changelog-out-of-order", "changelog-order", "CHANGELOG.md", "an older release dated after a newer one",
          changelog_line("## [1.0.0] - 2025-05-10", "## [1.0.0] - 2025-07-01")),
    Fault("changelog-version-repeated", "changelog-order", "CHANGELOG.md", "an older release with a higher version",
          changelog_line("## [1.0.0] - 2025-05-10", "## [1.2.0] - 2025-05-10")),
    Fault("changelog-future-date", "changelog-date", "CHANGELOG.md", "a release dated in the future",
          changelog_line("## [1.1.0] - 2025-06-01", "## [1.1.0] - 2999-06-01")),
    Fault("changelog-impossible-date", "changelog-date", "CHANGELOG.md", "a release dated 30 February",
          changelog_line("## [1.0.0] - 2025-05-10", "## [1.0.0] - 2025-02-30")),
    Fault("retired-id-not-mapped", "retired-id-map", "retired_ids", "an ID map whose row names an ID the CHANGELOG does not retire",
          cell("retired_ids", "space-forum-2025", "old_id", "space-forum-2024")),
    Fault("retired-id-successor-missing", "retired-id-map", "retired_ids", "an ID map whose successor is no ID of the package",
          cell("retired_ids", "space-forum-2025", "new_id", "space-forum-3")),
    Fault("retired-id-in-use", "retired-id-reused", "memberships", "an ID listed as retired that is still a row",
          lambda p: in_changelog("- Nothing (first release).", "- `kaz-cos`: merged.")(p) or 2,
          also={"retired-id-map": "the newly retired ID is not in the ID map either"}),
]
