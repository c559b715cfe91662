"""Cross-table rules: foreign keys, citation coverage, records nothing refers to, minimum children.

All rules that span tables live here or in provenance.py; each is declared in the Table Schemas
(foreignKeys, `x-must-be-referenced`, `x-rules` of kind `min-children`) and read from there.
"""

from __future__ import annotations

import polars as pl

from .extensions import CITATIONS, REQUIRED_RESOURCES, SOURCES
from .findings import Finding
from .hygiene import cell_findings


def foreign_keys(frames: dict[str, pl.DataFrame], schemas: dict[str, dict], declared: set[str]) -> list[Finding]:
    found: list[Finding] = []
    for name, frame in frames.items():
        for fk in schemas[name].get("foreignKeys", []):
            cols = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            ref = fk["reference"]
            parent_name = ref.get("resource") or name
            ref_cols = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
            parent = frames.get(parent_name)
            if parent_name not in declared:
                found.append(Finding("foreign-key", f"the foreign key refers to a resource '{parent_name}' the package does not have",
                                     name, column=",".join(cols)))
                continue
            if parent is None:
                continue  # the parent table could not be read; its own findings say why
            keys = parent.select([pl.col(r).alias(c) for r, c in zip(ref_cols, cols, strict=False)]).unique()
            child = frame.with_row_index("__row").filter(pl.all_horizontal([pl.col(c).is_not_null() for c in cols]))
            dangling = child.join(keys, on=cols, how="anti").select("__row", pl.concat_str(cols, separator=",").alias("v")).sort("__row")
            found += cell_findings(name, "foreign-key", ",".join(cols), dangling,
                                   f"{{value!r}} matches no {'/'.join(ref_cols)} of {parent_name}")
    return found


def cited_tables(schemas: dict[str, dict]) -> dict[str, str]:
    """Tables whose records are cited directly: table -> its key column in citations."""
    out = {}
    for fk in schemas.get(CITATIONS, {}).get("foreignKeys", []):
        table = fk["reference"]["resource"]
        if table and table != SOURCES:
            out[table] = fk["fields"][0]
    return out


def uncited(frames: dict[str, pl.DataFrame], schemas: dict[str, dict]) -> list[Finding]:
    citations = frames.get(CITATIONS)
    if citations is None:
        return []
    found: list[Finding] = []
    for table, column in cited_tables(schemas).items():
        frame = frames.get(table)
        if frame is None:
            continue
        pk = schemas[table]["primaryKey"][0]
        cited = citations.select(pl.col(column).alias(pk)).drop_nulls().unique()
        missing = frame.with_row_index("__row").join(cited, on=pk, how="anti").select("__row", pk).sort("__row")
        found += cell_findings(table, "uncited", pk, missing, "{value!r} has no citation in citations")
    return found


def unreferenced(frames: dict[str, pl.DataFrame], schemas: dict[str, dict], declared: set[str]) -> list[Finding]:
    found: list[Finding] = []
    for table, schema in schemas.items():
        if not schema.get("x-must-be-referenced") or table not in frames:
            continue
        if any(name not in frames for name in REQUIRED_RESOURCES):
            continue  # without citations (or another base table) nothing can be said of what refers to what
        unread = declared - set(frames)
        if any(child not in schemas or any(fk["reference"]["resource"] == table for fk in schemas[child].get("foreignKeys", []))
               for child in unread):
            continue  # a table that may refer to this one could not be read: its own findings say why
        pk = schema["primaryKey"][0]
        used = []
        for child, child_schema in schemas.items():
            for fk in child_schema.get("foreignKeys", []):
                if fk["reference"]["resource"] == table and child in frames:
                    used.append(frames[child].select(pl.col(fk["fields"][0]).alias(pk)))
        refs = pl.concat(used).drop_nulls().unique() if used else pl.DataFrame({pk: []}, schema={pk: pl.String})
        lonely = frames[table].with_row_index("__row").join(refs, on=pk, how="anti").select("__row", pk).sort("__row")
        found += cell_findings(table, "unreferenced", pk, lonely, "{value!r} is not referred to by any row of the package")
    return found


def min_children(frames: dict[str, pl.DataFrame], schemas: dict[str, dict]) -> list[Finding]:
    found: list[Finding] = []
    for table, schema in schemas.items():
        for rule in schema.get("x-rules", []):
            if rule["rule"] != "min-children" or table not in frames or rule["table"] not in frames:
                continue
            pk, key = schema["primaryKey"][0], rule["field"]
            children = frames[rule["table"]]
            exempt = pl.lit(False)
            for col, values in rule.get("unless", {}).items():
                exempt = exempt | pl.col(col).is_in(values).fill_null(False)
            counts = children.group_by(key).agg(n=pl.len(), exempt=exempt.any()).rename({key: pk})
            short = (frames[table].with_row_index("__row").join(counts, on=pk, how="left")
                     .filter(pl.col("n").fill_null(0) < rule["min"]).filter(~pl.col("exempt").fill_null(False))
                     .select("__row", pk).sort("__row"))
            found += cell_findings(table, "min-children", pk, short,
                                   f"{{value!r}} has fewer than {rule['min']} rows in {rule['table']}")
    return found


def check(frames: dict[str, pl.DataFrame], schemas: dict[str, dict], declared: set[str]) -> list[Finding]:
    """schemas: every table whose schema could be read; frames: the tables that could be read; declared: all resource names."""
    return (foreign_keys(frames, schemas, declared) + uncited(frames, schemas)
            + unreferenced(frames, schemas, declared) + min_children(frames, schemas))
