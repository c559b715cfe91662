"""The worked examples of docs/examples.md, read as data: each question with its name, note, polars and SQL.

The page is the one source of the examples: the tests run each question's polars and SQL as written and compare the
answers, and the release turns each SQL answer into a Datasette canned query. A question is a `## ` heading, followed
by a `<!-- name: NAME -->` line (the canned query's stable name), the note (any text), one ```python block whose last
line names the answer, and one ```sql block. The ```python block before the first question is the setup that makes
every table a DuckDB view of its CSV file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

PAGE = Path(__file__).resolve().parent.parent / "docs" / "examples.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", flags=re.DOTALL | re.MULTILINE)
NAME = re.compile(r"^<!-- name: ([a-z0-9-]+) -->$", flags=re.MULTILINE)


@dataclass(frozen=True)
class Example:
    name: str
    question: str
    note: str  # the text between the heading and the code, markdown
    python: str
    sql: str


def setup(text: str) -> str:
    """The ```python block before the first question."""
    head = text.split("\n## ", 1)[0]
    return next((code for lang, code in BLOCK.findall(head) if lang == "python"), "")


def examples(text: str) -> list[Example]:
    out = []
    for section in text.split("\n## ")[1:]:
        question, _, body = section.partition("\n")
        name = NAME.search(body)
        blocks = {lang: code for lang, code in reversed(BLOCK.findall(body))}  # the first block of each language
        note = NAME.sub("", BLOCK.sub("", body)).strip()
        if name is None or "python" not in blocks or "sql" not in blocks:
            raise ValueError(f"docs/examples.md: the question {question!r} needs a <!-- name: --> line, a python and a sql block")
        out.append(Example(name.group(1), question.strip(), note, blocks["python"], blocks["sql"]))
    return out


def read(page: Path = PAGE) -> list[Example]:
    """The examples of the page; none when the page is not there (an installed copy of the validator)."""
    return examples(page.read_text("utf-8")) if page.is_file() else []
