"""Exports built from the shards (by ``run`` and by ``export``), long documents, the dictionary cache, bench."""
from __future__ import annotations

import json

from run_helpers import cli, make_corpus, tree

FORMATS = ("-f", "brat", "-f", "bioc", "-f", "indra", "-f", "html", "-f", "sqlite")


def test_export_from_the_shards_gives_what_the_run_gives(tmp_path):
    corpus = make_corpus(tmp_path / "in", 5)
    full = tmp_path / "full"
    assert cli("run", corpus, "--out", full, "--model", "none", "-q", *FORMATS).exit_code == 0
    bare = tmp_path / "bare"
    assert cli("run", corpus, "--out", bare, "--model", "none", "-q", "-f", "none").exit_code == 0
    assert not (bare / "brat").exists()
    result = cli("export", bare, *FORMATS)
    assert result.exit_code == 0, result.output
    assert tree(bare) == tree(full)  # the same bytes, the same manifest
    elsewhere = tmp_path / "elsewhere"
    assert cli("export", bare, "--out", elsewhere, "-f", "html").exit_code == 0
    assert (elsewhere / "review.html").read_bytes() == (full / "review.html").read_bytes()
    assert (elsewhere / "relations.jsonl").read_bytes() == (full / "relations.jsonl").read_bytes()


def test_export_refuses_a_run_that_did_not_finish(tmp_path):
    corpus = make_corpus(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert cli("run", corpus, "--out", out, "--model", "none", "-q", "-f", "none").exit_code == 0
    state = out / ".biomine" / "run.json"
    state.write_text(json.dumps({**json.loads(state.read_text()), "status": "processing"}))
    result = cli("export", out, "-f", "html")
    assert result.exit_code == 1 and "[E508]" in result.output and "did not finish" in result.output


def test_long_documents_are_processed_in_sections_with_offsets_kept(monkeypatch):
    import pipeline.runner as runner
    from pipeline.model import Document

    from run_helpers import SENTENCES

    paragraphs = [" ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(4)) for i in range(40)]
    text = "\n\n".join(paragraphs) + "\n"
    processor = runner.processor_for(runner.Settings(model="none"))
    whole = processor.process(Document("long", text))
    monkeypatch.setattr(runner, "LONG_DOCUMENT", 2000)
    monkeypatch.setattr(runner, "SECTION", 1000)
    spans = runner.sections(text, 1000)
    assert len(spans) > 5 and spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:])) and all(text[e - 2:e] == "\n\n" for _, e in spans[:-1])
    parts = processor.process(Document("long", text))
    assert [(e.start, e.end, e.type, e.id) for e in parts.entities] == [(e.start, e.end, e.type, e.id) for e in whole.entities]
    assert [(r.relation, r.subject and r.subject.start, r.object.start, r.sentence.index) for r in parts.relations] == \
        [(r.relation, r.subject and r.subject.start, r.object.start, r.sentence.index) for r in whole.relations]
    assert [s.index for s in parts.sentences] == list(range(len(parts.sentences)))
    for ent in parts.entities:
        assert text[ent.start:ent.end] == ent.text
    assert runner.sections("x" * 5000, 1000) == [(0, 1000), (1000, 2000), (2000, 3000), (3000, 5000)]  # cut hard


def test_the_compiled_dictionary_is_cached_and_invalidated_by_content(tmp_path, monkeypatch):
    from pipeline.entities import dictionary as dic

    folder = tmp_path / "dicts"
    folder.mkdir()
    header = "\t".join(dic.COLUMNS)
    (folder / "genes.tsv").write_text(f"{header}\nASK1\tHGNC:6857\tMAP3K5\tPROTEIN\tsymbol\t\n", encoding="utf-8")
    monkeypatch.setenv("BIOMINE_CACHE", str(tmp_path / "cache"))
    first = dic.Dictionary.from_directory(folder)
    cached = list((tmp_path / "cache").glob("dictionary-*.pickle"))
    assert len(cached) == 1
    again = dic.Dictionary.from_directory(folder)
    assert [(s, e, x.id) for s, e, x in again.find("ASK1 binds")] == [(s, e, x.id) for s, e, x in first.find("ASK1 binds")]
    (folder / "genes.tsv").write_text(f"{header}\nASK1\tHGNC:6857\tMAP3K5\tPROTEIN\tsymbol\t\n"
                                      f"JNK1\tHGNC:6881\tMAPK8\tPROTEIN\tsymbol\t\n", encoding="utf-8")
    changed = dic.Dictionary.from_directory(folder)
    assert [x.id for _, _, x in changed.find("JNK1 and ASK1")] == ["HGNC:6881", "HGNC:6857"]
    assert len(list((tmp_path / "cache").glob("dictionary-*.pickle"))) == 2
    monkeypatch.setenv("BIOMINE_CACHE", "off")
    assert dic.cache_dir() is None


def test_bench_says_when_its_default_corpus_is_missing(monkeypatch, tmp_path):
    import pipeline.benchmark as bench

    monkeypatch.setattr(bench, "DEFAULT_CORPUS", tmp_path / "missing")
    texts, label, notes = bench.corpus_texts(None, 50)
    assert len(texts) == 50 and "seed" in label and "missing" in notes[0] and "NOT comparable" in notes[0]
    result = bench.BenchResult(10, 15000, label, 1, tokenizer=1000.0, rules_only=200.0, run_exports=150.0, notes=notes)
    shown = result.format()
    assert "note:" in shown and "36 M abstracts on a 16-core machine at 150 abstracts/s per core" in shown
    assert "assuming:" in shown


def test_bench_times_start_up_in_a_fresh_process():
    """The start-up figure is a new interpreter's imports and loading, not this warm process's."""
    import pipeline.benchmark as bench

    wall, cpu = bench.startup_seconds("none", 1)
    assert 0.3 < wall < 60 and 0.3 < cpu < 60  # spaCy's import alone takes longer than 0.3 s
    result = bench.BenchResult(10, 15000, "x", 1, load_wall=wall, load_cpu=cpu, load_wall_models=wall + 0.5)
    assert f"rules only {wall:.2f} s wall" in result.format() and "with the models" in result.format()


def test_the_review_page_is_capped_with_a_note():
    from pathlib import Path

    from pipeline.writers.html import render_html
    from pipeline.writers.load import load_output_dir

    docs = load_output_dir(Path(__file__).parent / "fixtures" / "sample_output")
    page = render_html(docs, max_documents=1)
    assert "shows the first 1 of 2 documents" in page and "in 1 documents" in page
    assert "shows the first" not in render_html(docs)


def test_bench_states_the_parsers_cost_against_both_baselines():
    import pipeline.benchmark as bench

    result = bench.BenchResult(10, 15000, "x", 1, tokenizer=1000.0, rules_only=200.0, parser=40.0, parsed_share=0.5,
                               recogniser_only=80.0, parser_only=90.0)
    shown = result.format()
    assert "recogniser only:" in shown and "0.20 of rules only, 0.50 of the run without the parser" in shown
    assert "parser only:" in shown and "0.45 of rules only; goal >= 0.5" in shown
    assert "parser only:" not in bench.BenchResult(10, 15000, "x", 1, tokenizer=1000.0, rules_only=200.0).format()


def test_bench_states_the_rate_on_unseen_text():
    """Caches that remember words flatter passes over the same texts: the unseen-text figure adds back
    what new text costs the pipeline (200 docs/s seen, 100 unseen: 5 ms more per document)."""
    import pipeline.benchmark as bench

    result = bench.BenchResult(10, 15000, "x", 1, tokenizer=1000.0, rules_only=200.0, rules_only_unseen=100.0,
                               run_exports=150.0)
    assert abs(result.unseen_run_exports - 1 / (1 / 150 + 1 / 100 - 1 / 200)) < 1e-9
    shown = result.format()
    assert "unseen text: 100.0 docs/s" in shown and "on unseen text:             85.7 docs/s per core" in shown
    assert "at the unseen-text rate 86/s" in shown
    assert "unseen" not in bench.BenchResult(10, 15000, "x", 1, tokenizer=1000.0, rules_only=200.0,
                                             run_exports=150.0).format()


def test_bench_says_what_each_export_costs():
    import pipeline.benchmark as bench

    result = bench.BenchResult(10, 15000, "x", 1, tokenizer=1000.0, rules_only=200.0, run_exports=150.0,
                               export_costs={"brat": 0.0003, "bioc": 0.0004})
    assert "bioc 0.40 ms, brat 0.30 ms" in result.format() and "what each export adds per document" in result.format()


def test_bench_states_the_rate_with_the_database_exports():
    import pipeline.benchmark as bench

    result = bench.BenchResult(10, 15000, "x", 1, tokenizer=1000.0, rules_only=200.0, run_exports=150.0,
                               run_database=180.0)
    assert "core files and SQLite:     180.0 docs/s per core" in result.format()
    assert "core files and SQLite" not in bench.BenchResult(10, 15000, "x", 1, tokenizer=1000.0, rules_only=200.0,
                                                            run_exports=150.0).format()


def test_bench_runs_end_to_end_on_a_few_documents():
    """``biomine bench`` itself, on six documents and one pass: every run it times completes and is reported."""
    import pipeline.benchmark as bench

    result = bench.benchmark(limit=6, repeat=1)
    assert result.documents == 6
    assert result.run_core > 0 and result.run_exports > 0 and result.run_database > 0 and result.rules_only > 0
    shown = result.format()
    assert "core files and SQLite:" in shown and "run with exports:" in shown and "projection:" in shown
