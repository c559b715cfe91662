"""The release's Datasette metadata and settings: the rows first, the documentation a click away, the examples as queries.

A table page shows a one-sentence description (markdown code rendered, never raw backticks) with a link to the page of
its column descriptions, then its rows, long text cut short (`truncate_cells_html`), faceted by country, status and
type, every column (dates included) sortable. The column descriptions are one canned query, `columns`, filtered by
table; every worked example of docs/examples.md is a canned query under its name.
"""

from __future__ import annotations

import html
import re

from . import examples
from .model import Package
from .text import first_sentence

DATABASE = "central-asia-space"
SETTINGS = {"truncate_cells_html": 120, "default_facet_size": 10}
FACETS = ("country_id", "member_country_id", "party_country_id", "status", "action", "role", "kind")  # and every *_type


def inline_html(text: str) -> str:
    """Markdown's inline code and links as HTML, everything else escaped."""
    out = html.escape(text or "", quote=False)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    return re.sub(r"\[([^\]]+)\]\((https?://[^)\s]+)\)", r'<a href="\2">\1</a>', out)


def plain(text: str) -> str:
    """Markdown's inline code as plain text."""
    return (text or "").replace("`", "")


def columns_query(package: Package) -> str:
    """Every column of every table with its title and description, as literal rows; `:table` filters ('' lists all)."""
    def quoted(value: str | None) -> str:
        return "NULL" if value is None else "'" + value.replace("'", "''") + "'"

    rows = [f"({quoted(t.name)}, {i}, {quoted(f.name)}, {quoted(f.type)}, {quoted(plain(f.description))})"
            for t in package.tables.values() for i, f in enumerate(t.fields, 1)]
    return ('SELECT column1 AS "table", column3 AS "column", column4 AS type, column5 AS description\nFROM (VALUES\n'
            + ",\n".join(rows) + ")\nWHERE :table = '' OR column1 = :table\nORDER BY column1, column2")


def table_metadata(table) -> dict:
    names = [f.name for f in table.fields]
    facets = [n for n in names if n in FACETS or n.endswith("_type")]
    about = inline_html(first_sentence(table.description))
    link = f'<a href="/{DATABASE}/columns?table={table.name}">What each column holds</a>'
    out = {"title": table.title, "description_html": f"<p>{about} {link}.</p>", "sortable_columns": names}
    if facets:
        out["facets"] = facets
    return out


def query_metadata(example: examples.Example) -> dict:
    note = " ".join(example.note.split())
    return {"title": example.question, "description_html": f"<p>{inline_html(note)}</p>" if note else "",
            "sql": example.sql.strip().rstrip(";")}


def metadata(package: Package) -> dict:
    d = package.descriptor
    licence = d.get("licenses", [{}])[0]
    queries = {"columns": {"title": "What each column holds", "hide_sql": True, "params": ["table"],
                           "description_html": "<p>Every column of every table, with its type and description; "
                                               "give a table's name to see its columns only.</p>",
                           "sql": columns_query(package)}}
    queries |= {e.name: query_metadata(e) for e in examples.read()}
    return {"title": d.get("title"), "description_html": f"<p>{inline_html(d.get('description', ''))}</p>",
            "license": licence.get("name"), "license_url": licence.get("path"),
            "source": "central-asia-space data package", "source_url": d.get("homepage", ""),
            "databases": {DATABASE: {"tables": {t.name: table_metadata(t) for t in package.tables.values()},
                                     "queries": queries}}}
