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



def relation_color(relation: str) -> str:
    """A relation's colour, declared with its type in patterns/relation_types.yml."""
    from pipeline.relations.types import registry

    types = registry().types
    return types[relation].color if relation in types else "#333333"
