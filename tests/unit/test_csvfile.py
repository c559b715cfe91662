"""The CSV structure helpers: quoting errors, byte facts, record starts."""

from __future__ import annotations

from validate.csvfile import quoting_errors, record_starts, scan_bytes


def test_a_quote_inside_an_unquoted_cell():
    assert quoting_errors('a,b\nx,y"z\n') == [(2, "a double quote inside a cell that is not quoted")]


def test_text_after_a_closing_quote():
    assert quoting_errors('a,b\n"x"y,z\n') == [(2, "text after the closing quote of a quoted cell")]


def test_a_quoted_cell_never_closed():
    assert quoting_errors('a,b\n"x,y\nz\n') == [(2, "a quoted cell opened on this line is never closed")]


def test_well_formed_quoting_has_no_errors():
    assert quoting_errors('a,b\n"x, ""y""",z\n"multi\nline",w\n') == []


def test_byte_facts():
    facts = scan_bytes(b"\xef\xbb\xbfa,b\r\n\nx,y")
    assert facts.bom and facts.cr_count == 1 and facts.first_blank is not None and not facts.ends_with_newline
    assert facts.line_at(facts.first_cr) == 1 and facts.line_at(facts.first_blank) == 2


def test_record_starts_follow_quoted_line_breaks():
    assert record_starts(b'a,b\n"x\ny",1\nz,2\n') == ([2, 4], [2, 2])
