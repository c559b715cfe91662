"""The CHANGELOG parser: releases, their order and dates, retired IDs, in linear time."""

from __future__ import annotations

import datetime as dt
import threading

from validate.changelog import changelog_date, changelog_order, parse

LOG = """# Changelog

## [Unreleased]

## [0.2.0] - 2026-01-10

### Retired
- `old-id` (agencies): merged into `new-id`.
- Nothing else.

## [0.1.0] - 2025-11-23
"""


def test_releases_and_retired_ids():
    log = parse(LOG)
    assert [(r.version, r.date) for r in log.releases] == [("0.2.0", "2026-01-10"), ("0.1.0", "2025-11-23")]
    assert log.releases[0].retired == [("old-id", 8)] and log.unreleased and not log.problems


def test_an_unreadable_heading_is_a_problem_not_a_release():
    log = parse("## [0.2] - 2026-01-10\n## [0.1.0]\n")
    assert not log.releases and [line for line, _ in log.problems] == [1, 2]


def test_order_and_dates():
    log = parse("## [0.1.0] - 2026-01-01\n## [0.2.0] - 2025-01-01\n## [0.0.1] - 2030-01-01\n")
    assert [f.line for f in changelog_order(log)] == [2, 3]
    assert [f.line for f in changelog_date(log, dt.date(2026, 6, 1))] == [3]


def test_a_pathological_changelog_is_parsed_without_stalling():
    """800 KB of unclosed headings took 140 s under the old multi-line pattern; line by line it is one pass.
    Run in a thread so that a regression fails here instead of stalling the suite."""
    text = "## [1.1.1" + " x" * 400_000 + "\n" + "## [" * 100_000
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(parse(text)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert done, "parse stalled on a pathological CHANGELOG"
