"""Colours shared by the visual exports (HTML page, network figure, brat), so a type looks the same everywhere."""
from __future__ import annotations

TYPE_COLORS: dict[str, str] = {
    "PROTEIN": "#7fa2ff",
    "FAMILY": "#b4c9ff",
    "SITE": "#ffd27f",
    "STRESS": "#ff9f9f",
    "DRUG": "#8fe38f",
    "DISEASE": "#e0a0ff",
    "CELL_LINE": "#cccccc",
}
DEFAULT_COLOR = "#dddddd"

# relation families: activating (green), inhibiting (red), modification (blue), physical/other (grey/purple)
RELATION_COLORS: dict[str, str] = {
    "activation": "#2e7d32",
    "stress_activates_target": "#2e7d32",
    "inhibition": "#c62828",
    "drug_inhibits_target": "#c62828",
    "phosphorylation": "#1565c0",
    "autophosphorylation": "#1565c0",
    "dephosphorylation": "#6a1b9a",
    "binding": "#546e7a",
    "association": "#8e24aa",
}
