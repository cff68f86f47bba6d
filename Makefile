# Two commands do everything on a fresh machine: `make run` and `make test`.
# `make model` rebuilds the shipped models from ../shared/corpora (fixed seeds; about 1 h on 2 cores).
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CORPORA := ../shared/corpora
TRAIN_ENV := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

.PHONY: run test bench model parser ner words clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/biomine run seeds/ --out outputs/

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(VENV)/bin/biomine bench

# The tagger, parser and lemmatizer (docs/dependencies.md), the mention recogniser (docs/ner.md) and
# the frequent words a worker keeps across memory zones (pipeline/training/vocabulary.py; seconds).
model: parser ner words

parser: $(STAMP)
	$(PY) -m pip install -q -e '.[train]'
	$(TRAIN_ENV) $(PY) -m pipeline.training.parser --corpus $(CORPORA)/genia-treebank --out build/parser
	$(PY) -m pipeline.training.assemble --parser build/parser/model-best --out models/biomine_genia_sm

ner: $(STAMP)
	$(TRAIN_ENV) $(PY) -m pipeline.training.ner --corpora $(CORPORA) --out build/ner --ship models/biomine_ner_sm

words: $(STAMP)
	$(PY) -m pipeline.training.vocabulary --corpora $(CORPORA) --out models/biomine_words_v1.txt

clean:
	rm -rf outputs/*.jsonl outputs/*.tsv .pytest_cache build/
