"""Convert the GENIA Treebank, split it by PMID, train tagger + parser, evaluate on the test split.

    python -m pipeline.training.parser --corpus ../shared/corpora/genia-treebank --out build/parser

Stages (``--stage``): ``convert`` writes ``corpus/{train,dev,test}.spacy``, the split lists
(``splits.json``, ``<split>.pmids``) and ``understood_subjects.json`` (the runtime's
understood-subject rule against the traces, ``pipeline.training.understood_subjects``);
``train`` runs spaCy's trainer on one CPU thread with ``configs/parser.cfg`` and writes
``model-best``/``model-last``; ``evaluate`` re-parses the raw text of the held-out abstracts
(tokenizer included) and writes ``metrics.<split>.json``. ``all`` (default) runs the three.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core: the machine is shared, and results stay reproducible

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Iterable, Sequence

from pipeline.training import understood_subjects
from pipeline.training.converters import genia_treebank
from pipeline.training.converters.genia_treebank import Sentence
from pipeline.training.splits import read_splits, split_pmids, write_splits

CONFIG = Path(__file__).parent / "configs" / "parser.cfg"
REPORT_LABELS = ("nsubj", "nsubjpass", "dobj", "agent", "relcl", "conj", "appos", "xcomp", "advcl",
                 "pobj", "prep", "compound", "amod", "acl", "pcomp", "ccomp", "cc", "det", "aux", "auxpass")


def load_corpus(corpus: Path) -> dict[str, list[Sentence]]:
    """PMID -> converted sentences, for every treebank file."""
    return {path.stem: genia_treebank.read_document(path) for path in genia_treebank.corpus_files(corpus)}


def to_doc(vocab, sentences: Sequence[Sentence]):
    """One abstract as a spaCy Doc with gold tags and parse; unbracketed sentences are left out."""
    from spacy.tokens import Doc

    words, spaces, tags, heads, deps = [], [], [], [], []
    kept = [s for s in sentences if s.parsed]
    for n, sent in enumerate(kept):
        offset = len(words)
        words += sent.words
        spaces += sent.spaces[:-1] + [n < len(kept) - 1]  # sentences joined by one space
        tags += sent.tags
        heads += [h + offset for h in sent.heads]
        deps += sent.deps
    return Doc(vocab, words=words, spaces=spaces, tags=tags, heads=heads, deps=deps)


def write_docbins(docs_by_pmid: dict[str, list[Sentence]], splits: dict[str, list[str]], folder: Path) -> dict[str, int]:
    """``<split>.spacy`` per split; returns the number of sentences in each."""
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("en").vocab
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, pmids in splits.items():
        db = DocBin(attrs=["ORTH", "SPACY", "TAG", "HEAD", "DEP", "SENT_START"])
        n = 0
        for pmid in pmids:
            sents = docs_by_pmid[pmid]
            if any(s.parsed for s in sents):
                db.add(to_doc(vocab, sents))
                n += sum(s.parsed for s in sents)
        db.to_disk(folder / f"{name}.spacy")
        counts[name] = n
    return counts


def convert(corpus: Path, out: Path) -> dict[str, list[str]]:
    """Stage 1: treebank -> DocBins and split lists under ``out``."""
    start = time.time()
    docs = load_corpus(corpus)
    splits = split_pmids(docs)
    write_splits(splits, out)
    counts = write_docbins(docs, splits, out / "corpus")
    agreement = understood_subjects.agreement(s for sents in docs.values() for s in sents)
    (out / "understood_subjects.json").write_text(json.dumps(agreement, indent=1) + "\n")
    print(f"understood-subject rule vs traces on gold trees: {agreement['agree']}/{agreement['controlled_verbs']} "
          f"= {agreement['agreement']}", flush=True)
    print(f"converted {len(docs)} abstracts in {time.time() - start:.0f}s: sentences {counts}", flush=True)
    return splits


def train(out: Path, max_steps: int | None = None, settings: dict[str, object] | None = None) -> None:
    """Stage 2: spaCy training, CPU, model-best chosen on the dev split. ``settings`` override
    config values (``--set components.tok2vec.model.encode.width=64``) for measured variants."""
    import pipeline.nlp.tokenizer  # noqa: F401  (registers biomine.Tokenizer.v1)
    from spacy.cli.train import train as spacy_train

    overrides = {"paths.train": str(out / "corpus" / "train.spacy"), "paths.dev": str(out / "corpus" / "dev.spacy")}
    if max_steps:
        overrides["training.max_steps"] = max_steps
    overrides.update(settings or {})
    spacy_train(CONFIG, out, use_gpu=-1, overrides=overrides)


def examples_from_raw(nlp, sentences_by_doc: Iterable[Sequence[Sentence]], per_sentence: bool = False) -> list:
    """Gold references paired with the raw text through ``nlp``'s own tokenizer (not gold tokens)."""
    from spacy.training import Example

    examples = []
    for sentences in sentences_by_doc:
        groups = [[s] for s in sentences if s.parsed] if per_sentence else [sentences]
        for group in groups:
            if not any(s.parsed for s in group):
                continue
            ref = to_doc(nlp.vocab, group)
            examples.append(Example(nlp.make_doc(ref.text), ref))
    return examples


def score(nlp, examples: list) -> dict:
    """Tag accuracy, UAS/LAS and per-label P/R/F, plus speed, for ``examples`` (parsed here)."""
    start = time.time()
    scores = nlp.evaluate(examples, batch_size=64)
    seconds = time.time() - start
    words = sum(len(eg.predicted) for eg in examples)
    per_label = scores.get("dep_las_per_type") or {}
    return {
        "tag_acc": scores.get("tag_acc"), "pos_acc": scores.get("pos_acc"), "dep_uas": scores.get("dep_uas"),
        "dep_las": scores.get("dep_las"), "sents_f": scores.get("sents_f"),
        "per_label": {k: {m: round(v, 4) for m, v in per_label[k].items()} for k in sorted(per_label)},
        "docs": len(examples), "words": words, "seconds": round(seconds, 1), "words_per_second": round(words / seconds),
    }


def evaluate(corpus: Path, model: Path, splits_path: Path, split: str = "test") -> dict:
    """Stage 3: parse the raw text of the held-out abstracts; whole abstracts and sentence by sentence."""
    import spacy

    import pipeline.nlp.tokenizer  # noqa: F401

    pmids = read_splits(splits_path)[split]
    folder = corpus / "original-data" if (corpus / "original-data").is_dir() else corpus
    docs = [genia_treebank.read_document(folder / f"{pmid}.xml") for pmid in pmids]
    nlp = spacy.load(model)
    results = {"split": split, "abstracts": len(pmids),
               "abstracts_raw": score(nlp, examples_from_raw(nlp, docs)),
               "sentences_raw": score(nlp, examples_from_raw(nlp, docs, per_sentence=True))}
    results["abstracts_per_second"] = round(len(pmids) / results["abstracts_raw"]["seconds"], 1)
    results["understood_subjects_on_parses"] = understood_subjects.on_parses(nlp, docs)
    return results


def summary(results: dict) -> str:
    lines = []
    for mode in ("abstracts_raw", "sentences_raw"):
        r = results[mode]
        lines.append(f"{mode}: TAG {r['tag_acc']:.4f} UAS {r['dep_uas']:.4f} LAS {r['dep_las']:.4f} "
                     f"sents_f {r['sents_f'] or 0:.4f} ({r['words']} words, {r['words_per_second']} words/s)")
    per = results["abstracts_raw"]["per_label"]
    lines.append("per-label F1: " + ", ".join(f"{k} {per[k]['f']:.3f}" for k in REPORT_LABELS if k in per))
    return "\n".join(lines)


def _setting(item: str) -> tuple[str, object]:
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise SystemExit(f"--set expects KEY=VALUE, got {item!r}")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpora/genia-treebank"))
    ap.add_argument("--out", type=Path, default=Path("build/parser"))
    ap.add_argument("--stage", choices=["convert", "train", "evaluate", "all"], default="all")
    ap.add_argument("--max-steps", type=int, default=None, help="override training.max_steps (smoke tests)")
    ap.add_argument("--split", default="test", help="split to evaluate (test, dev)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override a config value for a variant (repeatable; values are JSON or text)")
    args = ap.parse_args(argv)
    settings = dict(_setting(item) for item in args.set)
    if args.stage in {"convert", "all"}:
        convert(args.corpus, args.out)
    if args.stage in {"train", "all"}:
        start = time.time()
        train(args.out, args.max_steps, settings)
        print(f"trained in {(time.time() - start) / 60:.1f} min", flush=True)
    if args.stage in {"evaluate", "all"}:
        results = evaluate(args.corpus, args.out / "model-best", args.out / "splits.json", args.split)
        (args.out / f"metrics.{args.split}.json").write_text(json.dumps(results, indent=1) + "\n")
        print(summary(results), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
