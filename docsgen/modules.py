"""The module table of docs/design.md: every module of the validator and of docsgen, what it holds, its rule families.

What a module holds is the first sentence of its docstring, read without importing it; its families are those of
the rules registered in it. The table sits between `<!-- begin: modules -->` and `<!-- end: modules -->`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from validate.registry import FAMILIES
from validate.rules import catalogue

from .markdown import cell, replace_block

PACKAGES = ("validate", "docsgen")
NO_DOCSTRING = "(no docstring)"


def summary(path: Path) -> str:
    """The first sentence of a module's docstring, on one line."""
    doc = ast.get_docstring(ast.parse(path.read_text("utf-8")))
    if not doc:
        return NO_DOCSTRING
    paragraph = " ".join(doc.split("\n\n")[0].split())
    return re.split(r"(?<=[.!?])\s+(?=[A-Z`(])", paragraph, maxsplit=1)[0]


def modules(root: Path) -> list[Path]:
    """Every Python module of the packages, relative to root, package by package, each package's modules sorted."""
    return [path.relative_to(root) for package in PACKAGES for path in sorted((root / package).rglob("*.py"))]


def families() -> dict[str, list[str]]:
    """Dotted module name -> the families of the rules registered in it, in the registry's order."""
    found: dict[str, set[str]] = {}
    for rule in catalogue().values():
        found.setdefault(rule.where.split(":")[0], set()).add(rule.family)
    return {module: [f for f in FAMILIES if f in fams] for module, fams in found.items()}


def table(root: Path) -> str:
    by_module = families()
    out = ["| module | what it holds | rule families |", "|---|---|---|"]
    for path in modules(root):
        dotted = ".".join(path.with_suffix("").parts)
        out.append(f"| `{path.as_posix()}` | {cell(summary(root / path))} | {', '.join(by_module.get(dotted, []))} |")
    return "\n".join(out)


def design(root: Path, text: str) -> str:
    """docs/design.md's text with its module table brought up to date."""
    return replace_block(text, "modules", table(root), "docs/design.md")
