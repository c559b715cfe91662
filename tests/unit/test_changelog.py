"""The CHANGELOG parser: releases, their order and dates, retired IDs, in linear time."""

from __future__ import annotations

import datetime as dt
import threading
import time

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
    """800 KB of unclosed headings took 140 s under the old multi-line pattern; line by line it is one pass (a few ms).
    Run in a thread so that a regression fails here instead of stalling the suite, and measured in the CPU time that
    thread spends, not in wall-clock time, so that a busy machine (which slows the thread, not its work) cannot fail it."""
    text = "## [1.1.1" + " x" * 400_000 + "\n" + "## [" * 100_000
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(parse(text)), daemon=True)
    worker.start()
    spent = 0.0
    try:
        clock = time.pthread_getcpuclockid(worker.ident)
        while worker.is_alive() and spent < 20:
            worker.join(0.05)
            spent = time.clock_gettime(clock)
    except OSError:  # the thread has ended, and its clock with it
        worker.join()
    assert done, f"parse stalled on a pathological CHANGELOG ({spent:.0f} s of CPU)"
