"""How duplicate-source compares addresses: one page under two spellings of its URL is one address."""

from __future__ import annotations

import polars as pl
import pytest

from validate.integrity import normal_url


def normal(url: str) -> str:
    return pl.select(normal_url(pl.lit(url, dtype=pl.String))).item()


@pytest.mark.parametrize("url", ["https://example.org/a/b", "http://example.org/a/b", "HTTPS://Example.ORG/a/b/", "https://www.example.org/a/b",
                                 "https://example.org./a/b", "http://WWW.example.org./a/b//"])
def test_spellings_of_one_address_are_equal(url):
    assert normal(url) == "http://example.org/a/b"


@pytest.mark.parametrize(("a", "b"), [("https://example.org/A", "https://example.org/a"), ("https://example.org/a", "https://example.org/a/b"),
                                      ("https://example.org:8080/a", "https://example.org/a"), ("https://ftp.example.org/a", "https://example.org/a"),
                                      ("https://example.org/a?x=1", "https://example.org/a?x=2")])
def test_different_addresses_stay_different(a, b):
    assert normal(a) != normal(b)


def test_an_address_without_a_scheme_only_loses_its_trailing_slash():
    assert normal("Example.org/A/") == "Example.org/A"
