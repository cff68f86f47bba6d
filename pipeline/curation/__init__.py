"""Curation: curator decisions on triples, kept in the run's SQLite database across re-runs.

- ``store``: the decision tables (``curation_decisions``, ``curation_log``) and how to write them.
- ``decisions``: the TSV round trip (``biomine curate export|import|curated``).
- ``feedback``: per-rule precision from the decisions (``biomine curate rules``, the workbench's Rules page).
- ``browse`` and ``server``: the review workbench (``biomine review``), a local web server with
  ``templates/`` and ``static/`` beside them. Only ``server`` needs starlette and uvicorn.
"""
