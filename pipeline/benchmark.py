"""Throughput benchmark: the full pipeline against a bare scispaCy tokenizer pass.

Both are timed in one run over the same texts, so the ratio is comparable
across machines even when absolute speeds are not.
"""
from __future__ import annotations

import resource
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "bionlp-st-2013-pc" / "train"


@dataclass
class BenchResult:
    documents: int
    characters: int
    tokenizer_docs_per_s: float
    pipeline_docs_per_s: float
    load_seconds: float
    peak_rss_mb: float

    @property
    def ratio(self) -> float:
        return self.pipeline_docs_per_s / self.tokenizer_docs_per_s

    def format(self) -> str:
        return "\n".join([
            f"documents: {self.documents} ({self.characters} characters)",
            f"scispaCy tokenizer: {self.tokenizer_docs_per_s:.1f} docs/s",
            f"full pipeline:      {self.pipeline_docs_per_s:.1f} docs/s",
            f"ratio pipeline/tokenizer: {self.ratio:.2f} (goal >= 0.5)",
            f"pipeline load time: {self.load_seconds:.1f} s",
            f"peak memory (RSS): {self.peak_rss_mb:.0f} MB",
        ])


def _texts(inputs: list[str] | None, limit: int) -> list[str]:
    from pipeline.readers.text import expand_inputs, read_document

    paths = expand_inputs(inputs) if inputs else sorted(DEFAULT_CORPUS.glob("*.txt")) or expand_inputs([ROOT / "seeds"])
    return [read_document(p).text for p in paths[:limit]]


def benchmark(inputs: list[str] | None = None, limit: int = 500, repeat: int = 1) -> BenchResult:
    from pipeline.model import Document
    from pipeline.nlp.build import build_tokenizer_only
    from pipeline.runner import Processor

    texts = _texts(inputs, limit) * repeat
    tokenizer = build_tokenizer_only()
    start = time.perf_counter()
    for text in texts:
        tokenizer(text)
    tok_time = time.perf_counter() - start

    start = time.perf_counter()
    processor = Processor()
    load = time.perf_counter() - start
    docs = [Document(doc_id=str(i), text=t) for i, t in enumerate(texts)]
    start = time.perf_counter()
    for doc in docs:
        processor.process(doc)
    full_time = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return BenchResult(len(texts), sum(map(len, texts)), len(texts) / tok_time, len(texts) / full_time, load, peak)
