"""Train and measure the GENE / CHEMICAL / DISEASE mention recogniser.

    python -m pipeline.training.ner --corpora ../shared/corpora --out build/ner

converts the training corpora (GENETAG train + round1, BioRED Train, GE13 train
.a1 proteins), carves a dev slice from them by document (fixed seed), trains a
spaCy ``ner`` with its own small hash-embedding tok2vec, and scores the best
model on the held-out sets (GENETAG test with Correct.Data alternatives, BioRED
Dev, GE13 devel) into ``<out>/report.json``. The held-out sets are read only
after training; nothing is chosen on them.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import sys
import time
from pathlib import Path
from typing import Iterable, Sequence

from pipeline.training.converters import genetag, pubtator, standoff
from pipeline.training.converters.standoff import Annotated, DocStats
from pipeline.training.ner_eval import score_alternatives, score_exact

ROOT = Path(__file__).resolve().parents[2]
CONFIG = Path(__file__).with_name("configs") / "ner.cfg"
DICTIONARIES = ROOT / "patterns" / "dictionaries"
LABELS = ("GENE", "CHEMICAL", "DISEASE")
TOKENIZERS = {"biomine": "biomine.Tokenizer.v1", "split": "biomine.SplitTokenizer.v1"}
SEED = 0
EMBEDS: dict[str, dict] = {
    "hash": {},
    # more hash rows (fewer collisions between the words of 45,000 training sentences); no run-time cost
    "hash_wide": {"components.tok2vec.model.embed.rows": [20000, 2000, 5000, 2500]},
    "char": {"components.tok2vec.model.embed": {"@architectures": "spacy.CharacterEmbed.v2", "width": 96,
                                                "rows": 5000, "nM": 64, "nC": 8, "include_static_vectors": False,
                                                "feature": "NORM"}},
}
DEV_FRACTION = 0.1


def read_corpora(root: Path, held_out: bool = False) -> dict[str, list[Annotated]]:
    """Training corpora, or (``held_out``) the test sets, as annotated texts."""
    if held_out:
        return {"genetag_test": genetag.read_split(root / "genetag" / "test"),
                "biored_dev": pubtator.read_pubtator(root / "biored" / "Dev.PubTator"),
                "ge_devel": list(standoff.read_standoff_dir(root / "bionlp-st-2013-ge" / "devel"))}
    return {"genetag_train": genetag.read_split(root / "genetag" / "train"),
            "genetag_round1": genetag.read_split(root / "genetag" / "round1"),
            "biored_train": pubtator.read_pubtator(root / "biored" / "Train.PubTator"),
            "ge_train": list(standoff.read_standoff_dir(root / "bionlp-st-2013-ge" / "train"))}


def split_dev(items: Sequence[Annotated], fraction: float = DEV_FRACTION, seed: int = SEED
              ) -> tuple[list[Annotated], list[Annotated]]:
    """(train, dev) by document group, reproducibly: the same seed always picks the same groups."""
    groups = sorted({i.group for i in items})
    rng = random.Random(seed)
    dev_groups = set(rng.sample(groups, round(len(groups) * fraction)))
    return [i for i in items if i.group not in dev_groups], [i for i in items if i.group in dev_groups]


def training_sets(corpora: dict[str, list[Annotated]]) -> tuple[list[Annotated], dict[str, list[Annotated]]]:
    """All training items, and the dev slice per source (10% of GENETAG train and of BioRED Train)."""
    gt_train, gt_dev = split_dev(corpora["genetag_train"])
    br_train, br_dev = split_dev(corpora["biored_train"])
    train = gt_train + corpora["genetag_round1"] + br_train + corpora["ge_train"]
    return train, {"genetag": gt_dev, "biored": br_dev}


class TermMarker:
    """Chemical and disease names from biomine's dictionaries, to leave unknown in gene-only corpora.

    GENETAG and GE mark genes only; teaching their other tokens as "outside" for
    every label would teach that "cisplatin" or "diabetes" is not an entity.
    Dictionary hits in such texts are marked *missing* instead (gold genes win).
    """

    def __init__(self, folder: Path = DICTIONARIES, files: Iterable[str] = ("chemicals", "diseases"),
                 max_tokens: int = 8):
        stop = {line.strip().lower() for line in (folder / "stoplist.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#")}
        self.exact: set[str] = set()
        self.folded: set[str] = set()
        for name in files:
            with gzip.open(folder / f"{name}.tsv.gz", "rt", encoding="utf-8") as fh:
                next(fh)
                for line in fh:
                    term, _id, _name, _type, flags = line.rstrip("\n").split("\t")[:5]
                    if term.lower() in stop:
                        continue
                    (self.exact if "casesensitive" in flags else self.folded).add(
                        term if "casesensitive" in flags else term.lower())
        self.max_tokens = max_tokens

    def __call__(self, doc, item: Annotated) -> list[tuple[int, int]]:
        if "CHEMICAL" in item.labels and "DISEASE" in item.labels:
            return []
        out = []
        i = 0
        while i < len(doc):
            hit = None
            for j in range(min(len(doc), i + self.max_tokens), i, -1):
                text = doc.text[doc[i].idx:doc[j - 1].idx + len(doc[j - 1])]
                if text in self.exact or text.lower() in self.folded:
                    hit = (doc[i].idx, doc[j - 1].idx + len(doc[j - 1]))
                    i = j
                    break
            if hit:
                out.append(hit)
            else:
                i += 1
        return out


def blank_nlp(tokenizer: str = "biomine"):
    """A blank English pipeline with the chosen tokenizer."""
    import spacy

    import pipeline.nlp.tokenizer  # noqa: F401
    from pipeline.training import mentions

    mentions.register()
    return spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZERS[tokenizer]}}})


def convert(corpora_dir: Path, out: Path, tokenizer: str = "split", partial: str = "missing") -> dict:
    """Write ``train.spacy`` and ``dev.spacy`` under ``out/data`` and return alignment counts."""
    from spacy.tokens import DocBin

    corpora = read_corpora(corpora_dir)
    train, dev = training_sets(corpora)
    nlp = blank_nlp(tokenizer)
    marker = TermMarker() if partial == "missing" else None
    stats: dict[str, DocStats] = {}
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    for name, items in [("train", train), ("dev", dev["genetag"] + dev["biored"])]:
        bin_ = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], store_user_data=False)
        st = stats.setdefault(name, DocStats())
        for item in items:
            bin_.add(standoff.to_doc(nlp, item, marker, st))
        bin_.to_disk(data / f"{name}.spacy")
    summary = {"tokenizer": tokenizer, "partial": partial, "dictionaries": dictionary_fingerprint(),
               "sizes": {"train": len(train), "dev_genetag": len(dev["genetag"]), "dev_biored": len(dev["biored"])},
               "alignment": {k: {"aligned": v.aligned, "misaligned": v.misaligned,
                                 "misaligned_by_label": v.misaligned_by_label} for k, v in stats.items()}}
    (out / "data" / "summary.json").write_text(json.dumps(summary, indent=1))
    return summary


def dictionary_fingerprint(folder: Path = DICTIONARIES) -> dict[str, str]:
    """sha256 prefixes of the files TermMarker reads: they are an input of the training data,
    so a changed stoplist changes which tokens are left missing (and the model)."""
    import hashlib

    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest()[:16]
            for name in ("chemicals.tsv.gz", "diseases.tsv.gz", "stoplist.txt")}


def alignment(corpora_dir: Path) -> dict:
    """Gold spans that do not fall on token boundaries, per corpus and tokenizer (the a/b decision)."""
    corpora = read_corpora(corpora_dir)
    out: dict = {}
    for tok in TOKENIZERS:
        nlp = blank_nlp(tok)
        for name, items in corpora.items():
            st = DocStats()
            for item in items:
                standoff.to_doc(nlp, item, None, st)
            out.setdefault(tok, {})[name] = {"spans": st.aligned + st.misaligned,
                                             "misaligned": st.misaligned_by_label, "examples": st.examples[:8]}
    return out


def train(out: Path, tokenizer: str = "split", max_steps: int = 8000, eval_frequency: int = 500,
          extra: dict | None = None) -> Path:
    """spaCy training from ``ner.cfg`` with a fixed seed and step budget; returns ``out/model-best``."""
    from spacy.cli.train import train as spacy_train

    import pipeline.nlp.tokenizer  # noqa: F401
    from pipeline.training import mentions

    mentions.register()
    overrides = {"paths.train": str(out / "data" / "train.spacy"), "paths.dev": str(out / "data" / "dev.spacy"),
                 "nlp.tokenizer": {"@tokenizers": TOKENIZERS[tokenizer]},
                 "training.max_steps": max_steps, "training.eval_frequency": eval_frequency, **(extra or {})}
    spacy_train(CONFIG, out, use_gpu=-1, overrides=overrides)
    return out / "model-best"


def predict(nlp, items: Sequence[Annotated], batch_size: int = 64) -> list[list[tuple[int, int, str]]]:
    """Character spans for every item, in order."""
    docs = nlp.pipe((i.text for i in items), batch_size=batch_size)
    return [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs]


def evaluate_dev(nlp, corpora_dir: Path) -> dict:
    """Scores on the dev slice (the only figures settings are chosen on)."""
    _, dev = training_sets(read_corpora(corpora_dir))
    gt, br = dev["genetag"], dev["biored"]
    return {"genetag_dev_alternatives": score_alternatives(gt, predict(nlp, gt)).as_dict(),
            "genetag_dev_exact": score_exact(gt, predict(nlp, gt), ["GENE"]).as_dict(),
            "biored_dev_slice": score_exact(br, predict(nlp, br)).as_dict()}


def evaluate_held_out(nlp, corpora_dir: Path) -> dict:
    """Scores on GENETAG test, BioRED Dev and GE13 devel (read here for the first time)."""
    tests = read_corpora(corpora_dir, held_out=True)
    gt, br, ge = tests["genetag_test"], tests["biored_dev"], tests["ge_devel"]
    pg, pb, pe = predict(nlp, gt), predict(nlp, br), predict(nlp, ge)
    return {"genetag_test_alternatives": score_alternatives(gt, pg).as_dict(),
            "genetag_test_exact": score_exact(gt, pg, ["GENE"]).as_dict(),
            "biored_dev": score_exact(br, pb).as_dict(),
            "ge13_devel_protein": score_exact(ge, pe, ["GENE"]).as_dict()}


def speed(nlp, corpora_dir: Path, repeats: int = 3) -> dict:
    """Words/s and abstracts/s of the recogniser alone on one thread (BioRED Dev abstracts, whitespace words);
    run with OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 so numpy stays on one core."""
    items = pubtator.read_pubtator(corpora_dir / "biored" / "Dev.PubTator")
    texts = [i.text for i in items]
    words = sum(len(t.split()) for t in texts)
    list(nlp.pipe(texts[:5]))
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(repeats):
        for _doc in nlp.pipe(texts, batch_size=32):
            pass
    took = (time.perf_counter() - start) / repeats
    took_cpu = (time.process_time() - cpu) / repeats  # CPU seconds: fair on a machine shared with other jobs
    return {"abstracts": len(texts), "words": words, "wall_s": round(took, 2), "cpu_s": round(took_cpu, 2),
            "words_per_cpu_s": round(words / took_cpu), "abstracts_per_cpu_s": round(len(texts) / took_cpu, 1),
            "words_per_wall_s": round(words / took),
            "peak_rss_mb": peak_rss_mb()}


def peak_rss_mb() -> int:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss it is not inherited across fork+exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def speed_in_subprocess(model: Path, corpora_dir: Path) -> dict:
    """``speed`` in a fresh one-thread process, so its peak memory is the recogniser's, not the trainer's."""
    import os
    import subprocess

    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    code = ("import json,sys,spacy; from pathlib import Path; from pipeline.training.ner import speed, peak_rss_mb; "
            "from pipeline.training.mentions import load; spacy.blank('en'); base = peak_rss_mb(); "
            "out = speed(load(sys.argv[1]), Path(sys.argv[2])); out['peak_rss_before_model_mb'] = base; "
            "print(json.dumps(out))")
    out = subprocess.run([sys.executable, "-c", code, str(model), str(corpora_dir)], env=env, cwd=ROOT,
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def model_size_mb(path: Path) -> float:
    """Size of a saved pipeline directory on disk."""
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6, 2)


def standalone(model: Path) -> None:
    """Name the plain spaCy tokenizer in the saved config: the saved ``tokenizer`` file carries
    every pattern, so the model then loads with ``spacy.load`` and no biomine import."""
    from pipeline.training import mentions

    before = mentions.load(model)
    cfg = model / "config.cfg"
    text = cfg.read_text()
    for name in TOKENIZERS.values():
        text = text.replace(f'@tokenizers = "{name}"', '@tokenizers = "spacy.Tokenizer.v1"')
    cfg.write_text(text)
    after = mentions.load(model)
    sample = "ASK1-mediated IL-2-induced MKK3/MKK6-p38 NF-kappaB. PI3K p70S6K (VEGF)-induced Hog1."
    if [t.text for t in before(sample)] != [t.text for t in after(sample)]:
        raise RuntimeError("tokenizer changed after reload")


SOURCES = [
    {"name": "GENETAG (train + round1)", "url": "https://github.com/openbiocorpora/genetag",
     "license": "NCBI public-domain notice (United States Government Work)",
     "citation": "Tanabe L et al. GENETAG: a tagged corpus for gene/protein named entity recognition. "
                 "BMC Bioinformatics 2005;6(Suppl 1):S3"},
    {"name": "BioRED Train", "url": "https://github.com/yookontian/RE_on_BioRED",
     "license": "NCBI public-domain notice (United States Government Work)",
     "citation": "Luo L et al. BioRED: a rich biomedical relation extraction dataset. Brief Bioinform 2022, bbac282"},
    {"name": "BioNLP-ST 2013 GE train (.a1 Protein)", "url": "https://github.com/openbiocorpora/bionlp-st-2013-ge",
     "license": "CC BY 3.0 (annotations by the Database Center for Life Science)",
     "citation": "Kim J-D, Wang Y, Yasunori Y. The Genia Event Extraction Shared Task, 2013 Edition - Overview"},
]


def ship(model: Path, dest: Path, report: dict | None = None) -> Path:
    """Copy a trained model to ``dest`` with biomine's name, version, sources and licences in its meta."""
    import shutil

    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(model, dest)
    meta = json.loads((dest / "meta.json").read_text())
    meta.update({"name": "biomine_ner_sm", "version": "1.0.0", "license": "see sources (public domain + CC BY 3.0)",
                 "description": "GENE, CHEMICAL and DISEASE mention recogniser of biomine "
                                "(pipeline/training/ner.py; docs/ner.md)",
                 "sources": SOURCES})
    if report:
        meta["biomine_scores"] = report.get("held_out", {})
    (dest / "meta.json").write_text(json.dumps(meta, indent=2))
    lines = ["# biomine_ner_sm 1.0.0", "",
             "GENE, CHEMICAL and DISEASE mention recogniser (spaCy tok2vec + ner). Built by",
             "`python -m pipeline.training.ner --corpora ../shared/corpora --out build/ner --ship models/biomine_ner_sm`;",
             "design, splits and held-out scores in docs/ner.md. Load with `spacy.load(path)` or",
             "`pipeline.training.mentions.load(path)`.", "", "Trained on (annotations and their licences):", ""]
    lines += [f"- {s['name']}: {s['license']}. {s['citation']}." for s in SOURCES]
    lines += ["", "Texts of those corpora are MEDLINE abstracts (PubMed terms) and PMC Open Access sections "
              "(each article's licence); the model stores hashed features and a string table of seen tokens, "
              "not the texts.", ""]
    (dest / "README.md").write_text("\n".join(lines))
    return dest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "ner")
    ap.add_argument("--tokenizer", choices=sorted(TOKENIZERS), default="split")
    ap.add_argument("--partial", choices=["missing", "outside"], default="missing")
    ap.add_argument("--max-steps", type=int, default=8000)
    ap.add_argument("--embed", choices=sorted(EMBEDS), default="hash",
                    help="hash: NORM/PREFIX/SUFFIX/SHAPE hash embeddings; char: NORM + the word's first and last bytes")
    ap.add_argument("--eval-frequency", type=int, default=500)
    ap.add_argument("--stage", choices=["all", "convert", "train", "evaluate", "alignment"], default="all")
    ap.add_argument("--ship", type=Path, help="also copy model-best here with biomine meta (models/biomine_ner_sm)")
    ap.add_argument("--dev-only", action="store_true", help="evaluate on the dev slice only (for choosing settings)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    times: dict[str, float] = {}
    if args.stage == "alignment":
        json.dump(alignment(args.corpora), sys.stdout, indent=1)
        return 0
    if args.stage in ("all", "convert"):
        t = time.time()
        print(json.dumps(convert(args.corpora, args.out, args.tokenizer, args.partial), indent=1))
        times["convert_s"] = round(time.time() - t)
    if args.stage in ("all", "train"):
        t = time.time()
        train(args.out, args.tokenizer, args.max_steps, args.eval_frequency, EMBEDS[args.embed])
        times["train_s"] = round(time.time() - t)
        standalone(args.out / "model-best")
    if args.stage in ("all", "evaluate"):
        from pipeline.training.mentions import load

        model = args.out / "model-best"
        nlp = load(model)
        report = {"model": str(model), "size_mb": model_size_mb(model), "tokenizer": args.tokenizer,
                  "partial": args.partial, "embed": args.embed, "max_steps": args.max_steps, "seed": SEED, "times": times,
                  "dev_slice": evaluate_dev(nlp, args.corpora)}
        summary = args.out / "data" / "summary.json"
        if summary.exists():
            report["data"] = json.loads(summary.read_text())
        if not args.dev_only:
            report["held_out"] = evaluate_held_out(nlp, args.corpora)
            report["speed_one_thread"] = speed_in_subprocess(model, args.corpora)
        name = "report_dev.json" if args.dev_only else "report.json"
        (args.out / name).write_text(json.dumps(report, indent=1))
        print(json.dumps(report, indent=1))
        if args.ship:
            ship(model, args.ship, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
