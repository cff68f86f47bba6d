"""Shared fixtures: the pipeline is loaded once per test session (dictionaries take seconds)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def processor():
    from pipeline.runner import Processor

    return Processor()


@pytest.fixture(scope="session")
def extractor(processor):
    return processor.nlp.get_pipe("biomine_relations_v1").extractor
