"""Build the shipped pipeline directory from the trained parts.

    python -m pipeline.training.assemble --parser build/parser/model-best --out models/biomine_genia_sm \
        [--ner build/ner/model-best]

Takes the trained tok2vec + tagger + parser, adds biomine's morphology component (PTB tag ->
UPOS and morphology, see ``tag_map``, and spaCy's English rule lemmatizer with its tables from
spacy-lookups-data; ``pipeline.nlp.morphology``) (serialised into the directory, so loading needs neither that package
nor a network), optionally sources a separately trained ``ner`` with its own tok2vec, and
writes meta.json (sources, licence, accuracy on the held-out split), the attribution file
and the test split's PMIDs.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path


NAME = "biomine_genia_sm"
VERSION = "1.2.0"
DESCRIPTION = ("Biomedical English tagger (PTB tags), dependency parser (spaCy/ClearNLP-style labels), "
               "tag map and rule lemmatizer (biomine_morphology_v1), trained on the GENIA Treebank with biomine's tokenizer.")
SOURCES = [{
    "name": "GENIA Treebank (beta/v1, 1,849 abstracts; constituency trees converted to dependencies by biomine)",
    "url": "https://github.com/openbiocorpora/genia-treebank",
    "license": "CC BY 3.0",
    "author": "Corpus annotations (c) GENIA Project",
}]
ATTRIBUTION = """biomine_genia_sm {version}

Trained on the GENIA Treebank.
Corpus annotations (c) GENIA Project, licensed under the Creative Commons Attribution 3.0
Unported licence (CC BY 3.0, https://creativecommons.org/licenses/by/3.0/).
Tateisi Y, Yakushiji A, Ohta T, Tsujii J. Syntax Annotation for the GENIA corpus. IJCNLP 2005.
The abstracts themselves come from PubMed (U.S. National Library of Medicine).

This model is a derived work of those annotations: the trees were converted to dependency
structures (biomine, pipeline/training/converters/genia_treebank.py; see docs/dependencies.md)
and a statistical tagger and parser were trained on them. It is distributed under CC BY 3.0
with the attribution above. The lemmatizer tables come from spacy-lookups-data (MIT licence).
"""
def add_rules(nlp, lemma_lookups=None) -> None:
    """biomine's morphology component after the parser (it reads DEP for AUX): the tag map of
    ``tag_map`` and spaCy's English rule lemmatizer tables (from spacy-lookups-data unless
    ``lemma_lookups`` holds them), in one cached lookup per token."""
    import pipeline.nlp.components  # noqa: F401  (registers biomine_morphology_v1)
    from pipeline.training.tag_map import morphology_tables

    morphology = nlp.add_pipe("biomine_morphology_v1", name="morphology", after="parser")
    required, optional = morphology.get_lookups_config("rule")
    lemma_tables = [t for t in required + optional if t.startswith("lemma_")]
    if lemma_lookups is None:
        from spacy.lookups import load_lookups

        lemma_lookups = load_lookups("en", lemma_tables)
    from spacy.lookups import Lookups

    lookups = Lookups()
    for name in lemma_tables:
        lookups.set_table(name, lemma_lookups.get_table(name))
    for name, table in morphology_tables().items():
        lookups.add_table(name, table)
    morphology.initialize(lookups=lookups)


def add_ner(nlp, ner_path: Path) -> None:
    """Source ``ner`` from another pipeline, giving it its own copy of the tok2vec it listened to."""
    import spacy

    source = spacy.load(ner_path)
    probe = "TNF-alpha induced IL-8 and PI3K in 293T cells (p < 0.05)."
    if [t.text for t in source.tokenizer(probe)] != [t.text for t in nlp.tokenizer(probe)]:
        print(f"warning: {ner_path} was trained with another tokenizer; its ner will see biomine's tokens",
              file=sys.stderr)
    ner_name = "ner"
    for name, proc in source.pipeline:
        if name != ner_name and hasattr(proc, "listening_components") and ner_name in proc.listening_components:
            source.replace_listeners(name, ner_name, ["model.tok2vec"])
    nlp.add_pipe(ner_name, source=source, name=ner_name, before="morphology")


def accuracy_meta(metrics_path: Path | None) -> dict:
    """The held-out figures for meta.json, from ``parser --stage evaluate``'s metrics file."""
    if metrics_path is None or not metrics_path.exists():
        return {}
    metrics = json.loads(metrics_path.read_text())
    main = metrics["abstracts_raw"]
    return {
        "performance": {"tag_acc": main["tag_acc"], "dep_uas": main["dep_uas"], "dep_las": main["dep_las"],
                        "sents_f": main["sents_f"],
                        "dep_las_per_type": main["per_label"]},
        "evaluation": {
            "split": metrics["split"], "abstracts": metrics["abstracts"], "words": main["words"],
            "how": "raw text of each held-out abstract through the pipeline (biomine tokenizer, parser's own "
                   "sentence boundaries), scored against the converted gold trees with spaCy's Scorer",
            "sentence_by_sentence": {k: metrics["sentences_raw"][k] for k in ("tag_acc", "dep_uas", "dep_las")},
            "words_per_second_one_core": main["words_per_second"],
            "split_pmids": "splits.json",
        },
    }


def assemble(parser_path: Path, out: Path, ner_path: Path | None = None, metrics_path: Path | None = None,
             splits_path: Path | None = None) -> Path:
    import spacy

    import pipeline.nlp.tokenizer  # noqa: F401  (the trained config names biomine.Tokenizer.v1)

    nlp = spacy.load(parser_path)
    add_rules(nlp)
    if ner_path is not None:
        add_ner(nlp, ner_path)
    for key in ("train", "dev"):  # build paths mean nothing in the shipped directory
        nlp.config["paths"][key] = None
    meta = dict(nlp.meta)
    meta.update({"name": NAME, "version": VERSION, "description": DESCRIPTION,
                 "license": "CC BY 3.0", "author": "biomine", "sources": SOURCES,
                 "requirements": [], "notes": "Load after `import pipeline.nlp.tokenizer` (biomine.Tokenizer.v1)."})
    meta.update(accuracy_meta(metrics_path))
    nlp.meta.clear()
    nlp.meta.update(meta)
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)
    (out / "ATTRIBUTION").write_text(ATTRIBUTION.format(version=VERSION))
    if splits_path is not None and splits_path.exists():
        data = json.loads(splits_path.read_text())
        shipped = {"seed": data["seed"], "fractions": data["fractions"], "corpus": "GENIA Treebank original-data",
                   "test": data["test"], "dev": data["dev"]}
        (out / "splits.json").write_text(json.dumps(shipped, indent=1) + "\n")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parser", type=Path, default=Path("build/parser/model-best"))
    ap.add_argument("--out", type=Path, default=Path("models") / NAME)
    ap.add_argument("--ner", type=Path, default=None, help="a trained pipeline whose ner to add (own tok2vec)")
    ap.add_argument("--metrics", type=Path, default=None, help="default: <parser>/../metrics.test.json")
    ap.add_argument("--splits", type=Path, default=None, help="default: <parser>/../splits.json")
    args = ap.parse_args(argv)
    metrics = args.metrics or args.parser.parent / "metrics.test.json"
    splits = args.splits or args.parser.parent / "splits.json"
    out = assemble(args.parser, args.out, args.ner, metrics, splits)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"wrote {out} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
