"""CI check (issue 10): biomine's INDRA export goes through INDRA's own preassembly with the priors it ships.

Run with a Python that has indra==1.24.0: python .ci/indra_check.py OUTDIR. The refinement step needs
INDRA's bio ontology, which INDRA downloads on first use (no network in CI), so it is skipped here.
"""
import json, sys
from indra.statements import stmts_from_json
from indra.belief import SimpleScorer
from indra.tools import assemble_corpus as ac
folder = sys.argv[1]
stmts = stmts_from_json(json.load(open(f"{folder}/indra/statements.json")))
priors = json.load(open(f"{folder}/indra/belief_priors.json"))
out = ac.run_preassembly(stmts, belief_scorer=SimpleScorer(priors), return_toplevel=False, run_refinement=False)
assert out, "preassembly returned nothing"
assert all(0 < s.belief < 1 for s in out)
print(f"INDRA preassembly: {len(stmts)} statements in, {len(out)} out, beliefs {min(s.belief for s in out):.3f}-{max(s.belief for s in out):.3f}")
