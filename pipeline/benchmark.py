"""Throughput benchmark: CPU time per document, stage by stage, over repeated passes.

Measured on the same texts in one process: a bare tokenizer pass (the baseline), the
rules-only pipeline (``--model none``), the pipeline with the shipped parser (when one is
shipped) with the share of sentences it parses, the time per pipeline component, and a
real ``run`` into a temporary folder without and with the exports. CPU time
(``time.process_time``) is taken over ``repeat`` passes and the median pass is reported,
so a busy machine slows the figures less than a single wall-clock sample would. With
``workers`` a real ``run --workers N`` is timed on the wall clock (the workers' CPU is not
this process's), after their pipelines are loaded.
"""
from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "bionlp-st-2013-pc" / "train"
CORPUS_ABSTRACTS = 36_000_000
CORES = 16


@dataclass
class BenchResult:
    documents: int
    characters: int
    corpus: str
    repeat: int
    tokenizer: float = 0.0  # docs/s, CPU
    rules_only: float = 0.0
    rules_only_unseen: float = 0.0  # docs/s over the second half, the pipeline having seen only the first half
    parser: float | None = None
    parsed_share: float | None = None
    recogniser_only: float | None = None  # docs/s with the recogniser but the parser switched off
    parser_only: float | None = None  # docs/s with the parser but the recogniser switched off
    load_wall: float = 0.0  # rules only, a fresh process: imports, dictionaries, rules
    load_cpu: float = 0.0
    load_wall_models: float | None = None  # the default pipeline (recogniser and parser), a fresh process
    components: dict[str, float] = field(default_factory=dict)  # CPU seconds per document, rules only
    components_models: dict[str, float] = field(default_factory=dict)  # the same with the shipped models
    run_core: float = 0.0  # docs/s CPU, `run` writing shards and the core files
    run_exports: float = 0.0  # docs/s CPU, `run` with every cheap export
    run_database: float = 0.0  # docs/s CPU, `run` with the core files and SQLite (what a PubMed-scale run writes)
    export_share: float = 0.0
    peak_rss_mb: float = 0.0
    workers: int = 0
    workers_total: float = 0.0  # docs/s wall, processing phase
    workers_peak_rss_mb: float = 0.0
    client_exports: float = 0.0  # docs/s CPU of the client's export pass alone (every cheap format)
    client_core: float = 0.0  # docs/s CPU of the client's export pass writing the core files only
    export_costs: dict[str, float] = field(default_factory=dict)  # CPU seconds per document each format adds
    notes: list[str] = field(default_factory=list)

    @property
    def unseen_run_exports(self) -> float:
        """The run with exports, per core, on text the pipeline has not read before (derived)."""
        if not (self.run_exports and self.rules_only and self.rules_only_unseen):
            return 0.0
        return 1 / (1 / self.run_exports + max(0.0, 1 / self.rules_only_unseen - 1 / self.rules_only))

    @property
    def ratio(self) -> float:
        return self.rules_only / self.tokenizer if self.tokenizer else 0.0

    def projection(self) -> str:
        rate = self.run_exports
        if not rate:
            return ""
        hours = CORPUS_ABSTRACTS / (rate * CORES) / 3600
        text = (f"projection: {CORPUS_ABSTRACTS / 1e6:.0f} M abstracts on a {CORES}-core machine at {rate:.0f} "
                f"abstracts/s per core (rules only, with exports) = {hours:.1f} h"
                + (f"; at the unseen-text rate {self.unseen_run_exports:.0f}/s "
                   f"= {CORPUS_ABSTRACTS / (self.unseen_run_exports * CORES) / 3600:.1f} h\n" if self.unseen_run_exports else "\n")
                + f"  assuming: one worker process per core scaling linearly, abstracts as long as these "
                f"({self.characters / max(self.documents, 1):.0f} characters on average), and the client "
                f"(one more core) keeping up")
        if self.parser and self.rules_only and rate:
            with_parser = 1 / (1 / self.parser + max(0.0, 1 / rate - 1 / self.rules_only))
            text += (f"\n  with the parser (the default when a model is shipped): {with_parser:.0f} abstracts/s per core "
                     f"with exports = {CORPUS_ABSTRACTS / (with_parser * CORES) / 3600:.1f} h")
        if self.client_exports:
            workers_rate = (self.rules_only or rate) * CORES
            limit = min(workers_rate, self.client_exports)
            text += (f"\n  the client builds the exports on one core, at {self.client_exports:.0f} docs/s with every "
                     f"cheap format ({self.client_core:.0f} docs/s with the core files only): "
                     + (f"with all exports it is the bottleneck ({limit:.0f} docs/s = "
                        f"{CORPUS_ABSTRACTS / limit / 3600:.1f} h): for such a run write the core files and SQLite only "
                        f"(brat's two files per document and BioC's XML cost the most)"
                        if self.client_exports < workers_rate else "it keeps up"))
        return text

    def format(self) -> str:
        lines = [f"corpus: {self.corpus}", f"documents: {self.documents} ({self.characters} characters), "
                 f"CPU time, median of {self.repeat} passes"]
        lines += [f"note: {n}" for n in self.notes]
        lines.append(f"tokenizer (baseline):     {self.tokenizer:8.1f} docs/s")
        lines.append(f"pipeline, rules only:     {self.rules_only:8.1f} docs/s  (ratio to tokenizer {self.ratio:.2f}"
                     + (f"; unseen text: {self.rules_only_unseen:.1f} docs/s" if self.rules_only_unseen else "") + ")")
        if self.recogniser_only:
            lines.append(f"pipeline, recogniser only: {self.recogniser_only:7.1f} docs/s  (the default without its parser)")
        if self.parser_only:
            lines.append(f"pipeline, parser only:    {self.parser_only:8.1f} docs/s  (the default without its recogniser: "
                         f"{self.parser_only / self.rules_only:.2f} of rules only; goal >= 0.5)")
        if self.parser is not None:
            lines.append(f"pipeline with the parser: {self.parser:8.1f} docs/s  "
                         f"({100 * (self.parsed_share or 0):.0f}% of sentences parsed; "
                         f"{self.parser / self.rules_only:.2f} of rules only"
                         + (f", {self.parser / self.recogniser_only:.2f} of the run without the parser"
                            if self.recogniser_only else "") + ")")
        else:
            lines.append("pipeline with the parser: no trained model shipped in models/ (rules only is the default)")
        total = sum(self.components.values()) or 1.0
        lines.append("where the time goes (rules only, CPU per document): " + ", ".join(
            f"{k} {1000 * v:.2f} ms ({100 * v / total:.0f}%)" for k, v in
            sorted(self.components.items(), key=lambda kv: -kv[1])))
        if self.components_models:
            total_m = sum(self.components_models.values()) or 1.0
            lines.append("where the time goes (with the models): " + ", ".join(
                f"{k} {1000 * v:.2f} ms ({100 * v / total_m:.0f}%)" for k, v in
                sorted(self.components_models.items(), key=lambda kv: -kv[1])))
        lines.append(f"run, core files only:     {self.run_core:8.1f} docs/s")
        lines.append(f"run with exports:         {self.run_exports:8.1f} docs/s per core  "
                     f"(exports {100 * self.export_share:.0f}% of the run's CPU; goal >= 300)")
        if self.run_database:
            lines.append(f"  core files and SQLite:  {self.run_database:8.1f} docs/s per core  (the exports a run of millions "
                         "of abstracts should write: brat makes two files per document, the review page stops at 5,000)")
        if self.unseen_run_exports:
            lines.append(f"  on unseen text:         {self.unseen_run_exports:8.1f} docs/s per core  (estimated: the run's CPU "
                         f"per document plus what unseen text adds to the pipeline's)")
        if self.export_costs:
            lines.append("  what each export adds per document (the client's pass, each format alone, rebuilding the "
                         "documents from the shards included): " + ", ".join(
                f"{name} {1000 * cost:.2f} ms" for name, cost in sorted(self.export_costs.items(), key=lambda kv: -kv[1])))
        lines.append(f"start-up in a fresh process (imports and loading, median of {self.repeat}): rules only "
                     f"{self.load_wall:.2f} s wall ({self.load_cpu:.2f} s CPU)"
                     + (f", with the models {self.load_wall_models:.2f} s wall" if self.load_wall_models else "")
                     + "; goal < 3 s")
        lines.append(f"peak memory (RSS): {self.peak_rss_mb:.0f} MB")
        if self.workers:
            lines.append(f"--workers {self.workers}: {self.workers_total:.1f} docs/s in total, "
                         f"{self.workers_total / self.workers:.1f} per worker (wall clock, processing phase); "
                         f"peak RSS per worker {self.workers_peak_rss_mb:.0f} MB")
        lines.append(self.projection())
        return "\n".join(line for line in lines if line)


def corpus_texts(inputs: list[str] | None, limit: int) -> tuple[list[str], str, list[str]]:
    """(texts, what they are, notes); says so when the default corpus is missing."""
    from pipeline.readers import expand_inputs, iter_documents
    from pipeline.model import Document

    notes: list[str] = []
    if inputs:
        paths, label = expand_inputs(inputs), ", ".join(map(str, inputs))
    elif DEFAULT_CORPUS.is_dir():
        paths, label = sorted(DEFAULT_CORPUS.glob("*.txt")), str(DEFAULT_CORPUS)
    else:
        paths, label = sorted((ROOT / "seeds").glob("*.txt")), "the 2 seed abstracts, repeated"
        notes.append(f"the default corpus {DEFAULT_CORPUS} is missing: timing the seeds repeated; "
                     "these figures are NOT comparable with the PC-corpus ones (give INPUTS to choose)")
    texts = [d.text for d in iter_documents(paths[: limit or None]) if isinstance(d, Document)]
    if not inputs and not DEFAULT_CORPUS.is_dir():
        texts = (texts * (200 // max(len(texts), 1) + 1))[:200]
    return texts[: limit or None], label, notes


def _median_rate(n: int, passes: list[float]) -> float:
    return n / statistics.median(passes) if passes else 0.0


def _cpu_passes(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        out.append(time.process_time() - start)
    return out


def benchmark(inputs: list[str] | None = None, limit: int = 500, repeat: int = 3,
              workers: int | None = None) -> BenchResult:
    from pipeline.model import Document
    from pipeline.nlp.build import build_tokenizer_only
    from pipeline.resources import default_model_path
    from pipeline.runner import Processor, RunOptions, processor_for, run, Settings
    from pipeline.writers import CHEAP_FORMATS

    texts, label, notes = corpus_texts(inputs, limit)
    docs = [Document(doc_id=f"b{i}", text=t) for i, t in enumerate(texts)]
    result = BenchResult(len(texts), sum(map(len, texts)), label, repeat, notes=notes)
    n = len(docs)

    tokenizer = build_tokenizer_only()
    result.tokenizer = _median_rate(n, _cpu_passes(lambda: [tokenizer(t) for t in texts], repeat))

    rules = processor_for(Settings(model="none"))
    result.load_wall, result.load_cpu = startup_seconds("none", repeat)
    if default_model_path() is not None:
        result.load_wall_models = startup_seconds("default", repeat)[0]
    # The tokenizer's affixes and the grounding candidates are remembered per string, so a pass over
    # texts seen before is faster than one over new text. Unseen text: a pipeline that has read the
    # first half (its one-time costs paid, such as compiling each rule at first use) reads the second.
    half = n // 2
    process_all(rules, docs[:half])
    result.rules_only_unseen = _median_rate(n - half, _cpu_passes(lambda: process_all(rules, docs[half:]), 1))
    result.rules_only = _median_rate(n, _cpu_passes(lambda: process_all(rules, docs), repeat))
    result.components = component_times(rules, docs)

    if default_model_path() is not None:
        parser = Processor()
        counts = [0, 0]

        def with_parser() -> None:
            for pd in process_all(parser, docs):
                c = getattr(pd, "parse_counts", (0, 0))
                counts[0] += c[0]
                counts[1] += c[1]

        result.parser = _median_rate(n, _cpu_passes(with_parser, repeat))
        result.parsed_share = counts[0] / counts[1] if counts[1] else 0.0
        syntax = parser.nlp.get_pipe("biomine_syntax_v1")
        trained, syntax.trained = syntax.trained, None  # the same pipeline, its parser switched off
        try:
            result.recogniser_only = _median_rate(n, _cpu_passes(lambda: process_all(parser, docs), repeat))
        finally:
            syntax.trained = trained
        mentions = parser.nlp.get_pipe("biomine_mentions_v1")
        recogniser, mentions.recogniser = mentions.recogniser, None  # rules and the parser alone
        try:
            if recogniser is not None:
                result.parser_only = _median_rate(n, _cpu_passes(lambda: process_all(parser, docs), repeat))
        finally:
            mentions.recogniser = recogniser
        result.components_models = component_times(parser, docs)

    with tempfile.TemporaryDirectory(prefix="biomine-bench-") as tmp:
        corpus = Path(tmp) / "in"
        corpus.mkdir()
        for i, t in enumerate(texts):
            (corpus / f"b{i:06d}.txt").write_text(t, encoding="utf-8")
        core, full, database = [], [], []
        for i in range(repeat):
            for formats, bucket in (([], core), (list(CHEAP_FORMATS), full), (["sqlite"], database)):
                out = Path(tmp) / f"out{i}-{'+'.join(formats) or 'core'}"
                start = time.process_time()
                run([corpus], out, options=RunOptions(model="none", formats=formats, progress=False))
                bucket.append(time.process_time() - start)
        result.run_core = _median_rate(n, core)
        result.run_exports = _median_rate(n, full)
        result.run_database = _median_rate(n, database)
        result.export_share = 1 - statistics.median(core) / statistics.median(full)
        result.client_exports, result.client_core, result.export_costs = client_export_rates(
            Path(tmp) / f"out0-{'+'.join(CHEAP_FORMATS)}", n, repeat)
        if workers:
            out = Path(tmp) / "workers"
            summary, _ = run([corpus], out, options=RunOptions(model="none", formats=list(CHEAP_FORMATS),
                                                               workers=workers, progress=False,
                                                               shard_size=max(1, n // (4 * workers))))
            result.workers = summary.workers
            result.workers_total = n / summary.timings["processing"] if summary.timings.get("processing") else 0.0
            result.workers_peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


_STARTUP = """
import sys, time
wall, cpu = time.perf_counter(), time.process_time()
from pipeline.runner import Settings, processor_for
processor_for(Settings() if sys.argv[1] == "default" else Settings(model=sys.argv[1]))
print(time.perf_counter() - wall, time.process_time() - cpu)
"""


def startup_seconds(model: str, repeat: int) -> tuple[float, float]:
    """(wall, CPU) seconds from the first import to a loaded pipeline, in a fresh interpreter (this
    process has everything imported and cached already); the median of ``repeat`` starts."""
    import subprocess

    walls, cpus = [], []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", _STARTUP, model], capture_output=True, text=True, check=True,
                             cwd=ROOT)
        wall, cpu = map(float, out.stdout.split()[-2:])
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def client_export_rates(out: Path, n: int, repeat: int) -> tuple[float, float, dict[str, float]]:
    """Docs/s (CPU) of the export pass alone over a run's shards: every cheap format, core files
    only, and the CPU seconds per document each format adds to the core files on its own."""
    from itertools import chain

    from pipeline.writers import CHEAP_FORMATS
    from pipeline.writers.exporting import build_exports
    from pipeline.writers.shards import iter_records, shard_files

    rates: dict[str, float] = {}
    for formats in (list(CHEAP_FORMATS), [], *([f] for f in CHEAP_FORMATS)):
        passes = []
        label = "+".join(formats)
        for i in range(repeat):
            staging = out / f"bench-staging-{i}-{label or 'core'}"
            staging.mkdir()
            records = chain.from_iterable(iter_records(p) for p in shard_files(out / ".biomine" / "shards"))
            start = time.process_time()
            build_exports(records, staging, formats, out_dir=staging, db_path=staging / "bench.sqlite")
            passes.append(time.process_time() - start)
        rates[label] = _median_rate(n, passes)
    core = rates[""]
    each = {f: max(0.0, 1 / rates[f] - 1 / core) for f in CHEAP_FORMATS if rates[f] and core}
    return rates["+".join(CHEAP_FORMATS)], core, each


def process_all(processor, docs) -> list:
    """Every document the way ``run`` processes a shard: in batches of ``BATCH_DOCUMENTS``."""
    from pipeline.runner.work import BATCH_DOCUMENTS

    out = []
    for start in range(0, len(docs), BATCH_DOCUMENTS):
        out += processor.process_batch([(d, None) for d in docs[start:start + BATCH_DOCUMENTS]])
    return out


def component_times(processor, docs) -> dict[str, float]:
    """CPU seconds per document spent in each pipeline component (and in building the Doc), with the
    documents in ``run``'s batches (a trained component sees a whole batch at once)."""
    from pipeline.runner.work import BATCH_DOCUMENTS

    totals: dict[str, float] = {"tokenizer": 0.0}
    for first in range(0, len(docs), BATCH_DOCUMENTS):
        start = time.process_time()
        batch = [processor.make_doc(document, None) for document in docs[first:first + BATCH_DOCUMENTS]]
        totals["tokenizer"] += time.process_time() - start
        for name, component in processor.nlp.pipeline:
            start = time.process_time()
            annotate = getattr(component, "annotate", None)
            batch = annotate(batch) if annotate is not None else [component(doc) for doc in batch]
            totals[name] = totals.get(name, 0.0) + time.process_time() - start
    return {k: v / max(len(docs), 1) for k, v in totals.items()}


if __name__ == "__main__":  # pragma: no cover
    print(benchmark(sys.argv[1:] or None).format())
