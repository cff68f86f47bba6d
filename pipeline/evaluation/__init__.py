"""Evaluation against gold corpora: how well biomine's triples agree with BioNLP and BioRED annotations.

Kept apart from the runtime (nothing under pipeline/runner.py, nlp, entities, relations, readers or
writers imports it; tests/test_layering.py checks) so a run never depends on scoring code, and it
imports neither pipeline.curation nor pipeline.writers. One module per concern:

* ``ids``: comparable keys (namespaced ids, normalised text, site labels)
* ``corpus``: gold documents, triples and entities in one shape; ``load_gold``
* ``events``: gold annotations -> triples, driven by the ``gold:`` entries of patterns/relation_types.yml
* ``tasks``: the scored tasks, generated from the same registry
* ``predictions``: an output folder read back
* ``matching`` / ``scoring``: one-to-one matching, P/R/F1, agreement, entity scores; ``evaluate``
* ``report``: tables, JSON, the error TSV
* ``negatives``: curator-rejected triples (review TSV or the SQLite ``curation`` table)
* ``folds``: document-level cross-validation folds
* ``command``: ``evaluate_command``, the body of ``biomine evaluate``
"""
