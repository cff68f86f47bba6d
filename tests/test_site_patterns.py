"""Every example of patterns/entities/sites.yml is a test of its own pattern."""
from __future__ import annotations

import pytest

from pipeline.entities.site_patterns import SitePatterns
from pipeline.errors import PatternError
from pipeline.resources import patterns_dir

SITES = SitePatterns.load(patterns_dir() / "entities" / "sites.yml")
CASES = [pytest.param(p, ex, id=f"{p.id}[{i}]") for p in SITES.patterns for i, ex in enumerate(p.examples)]


@pytest.mark.parametrize("pattern,example", CASES)
def test_site_example(pattern, example):
    assert SITES.check_example(pattern, example) == [tuple(m) for m in example.match]


def test_a_misspelt_key_names_file_and_key(tmp_path):
    path = tmp_path / "sites.yml"
    path.write_text("cues: {before: [at]}\npatterns:\n  - id: s\n    description: d\n    regexp: 'S\\d+'\n"
                    "    examples: [{text: S1, match: [[S1, S, 1]]}]\n")
    with pytest.raises(PatternError, match=r"E302.*sites.yml: patterns.0 \(s\).regexp: unknown key"):
        SitePatterns.load(path)
