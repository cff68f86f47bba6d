"""Compact JSON lines: the same text as the standard library's compact form, and what orjson refuses
still written (pipeline/writers/jsonlines.py)."""
from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, strategies as st

from pipeline.writers.jsonlines import dump_bytes, dump_indented, dump_text, load

_scalars = st.none() | st.booleans() | st.integers(-2 ** 63, 2 ** 63 - 1) | st.text()
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                       max_leaves=20)


@given(_values)
def test_the_text_is_the_standard_librarys_compact_form(value):
    """Escapes, control characters, non-ASCII, key order: byte for byte (floats aside: both are
    shortest round-trip forms, spelled differently, e.g. 1e+16 and 1e16)."""
    assert dump_text(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_read_back_exactly(number):
    assert load(dump_bytes({"score": number}))["score"] == number


@pytest.mark.parametrize("value", [
    {"metadata": {"big": 2 ** 70}},  # front matter may hold any integer
    {"metadata": {"big": -(2 ** 64)}, "x": float("nan")},
])
def test_what_orjson_refuses_falls_back_and_reads_back(value):
    back = load(dump_bytes(value))
    assert back["metadata"] == value["metadata"]
    if "x" in value:
        assert math.isnan(back["x"])


def test_keys_that_are_not_strings_become_strings():
    assert load(dump_bytes({1: "a"})) == {"1": "a"}


@given(_values, st.integers(0, 3))
def test_the_indented_text_is_indras_layout(value, level):
    """json.dumps(indent=1) byte for byte, each line after the first ``level`` spaces deeper."""
    expected = json.dumps(value, indent=1, ensure_ascii=False).replace("\n", "\n" + " " * level)
    assert dump_indented(value, level) == expected


def test_the_indented_fallback_keeps_the_layout():
    value = {"a": [2 ** 70, {"b": None}], "c": "line\nbreak"}
    assert dump_indented(value, 1) == json.dumps(value, indent=1, ensure_ascii=False).replace("\n", "\n ")
