"""The triple graph as SVG and PNG: who acts on whom, at a glance.

Nodes are grounded entities (one node per id, ungrounded mentions by text), drawn
as boxes coloured by type and labelled with the normalised name plus the usual
mention (``MAP3K5 (ASK1)``) and known phosphosites (``P-S83``). Edges go
subject -> object, one curved arc per relation type, labelled with the relation,
site and evidence count; negated edges are dashed, hedged ones dotted.

Layout is layered left -> right (upstream regulators, then their targets), which
reads like a signalling diagram and stays deterministic; large graphs are cut to
the ``max_nodes`` best-connected entities. matplotlib is imported lazily and only
through ``Figure`` (no pyplot state, no global backend change).
"""
from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from pipeline.writers.atomic import atomic_write_bytes
from pipeline.writers.keys import entity_key, entity_label, site_label
from pipeline.writers.style import DEFAULT_COLOR, TYPE_COLORS, relation_color
from pipeline.model import ENTITY_TYPES, ProcessedDocument
from pipeline.relations.types import registry

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SHORT = {"stress_activates_target": "activates", "drug_inhibits_target": "inhibits"}


def _undirected(relation: str) -> bool:
    types = registry().types
    return relation in types and not types[relation].directed


@dataclass
class _Edge:
    relation: str
    sites: Counter = field(default_factory=Counter)
    n: int = 0
    n_negated: int = 0
    n_hedged: int = 0

    def label(self) -> str:
        text = SHORT.get(self.relation, self.relation)
        if self.sites:
            text += " " + ",".join(s for s, _ in self.sites.most_common())
        if self.n > 1:
            text += f" ×{self.n}"
        if self.n_negated == self.n:
            text = "NOT " + text
        return text

    def style(self) -> str:
        if self.n_negated == self.n:
            return "dashed"
        if self.n_hedged == self.n:
            return "dotted"
        return "solid"


class GraphBuilder:
    """Aggregates relations document by document (counters only, no texts), then builds the graph."""

    def __init__(self) -> None:
        self.texts: dict[str, Counter] = defaultdict(Counter)
        self.info: dict[str, tuple[str, str]] = {}
        self.psites: dict[str, Counter] = defaultdict(Counter)
        self.edges: dict[tuple[str, str, str], _Edge] = {}
        self.weight: Counter = Counter()

    def add(self, pd: ProcessedDocument) -> None:
        for rel in pd.relations:
            for ent in (rel.subject, rel.object):
                if ent is not None:
                    k = entity_key(ent)
                    self.info.setdefault(k, (ent.type, entity_label(ent)))
                    self.texts[k][" ".join(ent.text.split())] += 1
                    self.weight[k] += 1
            obj = entity_key(rel.object)
            if rel.relation in ("phosphorylation", "autophosphorylation") and rel.site is not None and not rel.negated:
                self.psites[obj][site_label(rel.site)] += 1
            if rel.subject is None:
                continue
            key = (entity_key(rel.subject), obj, rel.relation)
            edge = self.edges.setdefault(key, _Edge(rel.relation))
            edge.n += 1
            edge.n_negated += rel.negated
            edge.n_hedged += rel.hedged
            if rel.site is not None:
                edge.sites[site_label(rel.site)] += 1

    def graph(self, max_nodes: int = 60) -> nx.MultiDiGraph:
        info, texts, psites = self.info, self.texts, self.psites
        keep = {k for k, _ in sorted(self.weight.items(), key=lambda kv: (-kv[1], kv[0]))[:max_nodes]}
        g = nx.MultiDiGraph(n_entities=len(self.weight))
        for k in sorted(keep, key=lambda k: info[k][1].lower()):
            typ, name = info[k]
            common = texts[k].most_common(1)[0][0]
            label = name
            if common.lower() != name.lower() and len(common) <= 14 and len(common) > 2:
                label += f"\n({common})"
            if psites[k]:
                label += "\nP-" + ",".join(s for s, _ in psites[k].most_common(3))
            g.add_node(k, type=typ, label=label)
        for (u, v, _), edge in self.edges.items():
            if u in keep and v in keep:
                g.add_edge(u, v, key=g.number_of_edges(u, v), data=edge)
        return g


def build_graph(docs: Iterable[ProcessedDocument], max_nodes: int = 60) -> nx.MultiDiGraph:
    """Aggregate relations into a MultiDiGraph: node attrs type/label, edge attrs from _Edge."""
    builder = GraphBuilder()
    for pd in docs:
        builder.add(pd)
    return builder.graph(max_nodes)


def _layers(g: nx.MultiDiGraph) -> dict[str, int]:
    """Longest-path layering on the SCC condensation, then pull nodes right next to their targets."""
    cond = nx.condensation(nx.DiGraph(g))
    order = list(nx.topological_sort(cond))
    layer: dict[int, int] = {}
    for c in order:
        layer[c] = max((layer[p] + 1 for p in cond.predecessors(c)), default=0)
    for c in reversed(order):
        succ = [layer[s] for s in cond.successors(c)]
        if succ:
            layer[c] = max(layer[c], min(succ) - 1)
    return {n: layer[c] for c in cond for n in cond.nodes[c]["members"]}


def layout(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Columns by layer; within a column, order by the mean position of already placed neighbours."""
    layer = _layers(g)
    columns: dict[int, list[str]] = defaultdict(list)
    for n in g.nodes:
        columns[layer[n]].append(n)
    pos: dict[str, tuple[float, float]] = {}
    for x in sorted(columns):
        def bary(n: str) -> float:
            ys = [pos[m][1] for m in nx.all_neighbors(g, n) if m in pos]
            return sum(ys) / len(ys) if ys else 0.0
        col = sorted(columns[x], key=lambda n: (-bary(n), g.nodes[n]["type"], g.nodes[n]["label"].lower()))
        for i, n in enumerate(col):
            pos[n] = (x * 3.2, ((len(col) - 1) / 2 - i) * 1.35)
    return pos


def render(docs: "Iterable[ProcessedDocument] | GraphBuilder", max_nodes: int = 60,
           title: str = "biomine triple network") -> "Figure":
    """Draw the graph on a new matplotlib Figure (not registered with pyplot) and return it.

    Labels are plain text: mathtext is off (``text.parse_math``), so an entity named
    ``$x$`` or ``a_{b}`` is drawn as written instead of failing the export.
    """
    import matplotlib

    with matplotlib.rc_context({"text.parse_math": False}):
        return _render(docs, max_nodes, title)


def _render(docs: "Iterable[ProcessedDocument] | GraphBuilder", max_nodes: int, title: str) -> "Figure":
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    g = docs.graph(max_nodes) if isinstance(docs, GraphBuilder) else build_graph(docs, max_nodes=max_nodes)
    pos = layout(g) if g.number_of_nodes() else {}
    n_layers = len({round(p[0], 3) for p in pos.values()}) or 1
    tallest = max(Counter(round(p[0], 3) for p in pos.values()).values(), default=1)
    fig = Figure(figsize=(max(9.0, 3.9 * n_layers + 1.5), max(6.0, 1.35 * tallest + 2.4)), dpi=110)
    ax = fig.add_axes((0.01, 0.11, 0.98, 0.82))
    ax.set_axis_off()
    shown = g.number_of_nodes()
    sub = f" (top {shown} of {g.graph['n_entities']} entities)" if shown < g.graph["n_entities"] else ""
    fig.suptitle(title + sub, fontsize=14, fontweight="bold", y=0.985)
    if not shown:
        ax.text(0.5, 0.5, "no relations", ha="center", va="center", fontsize=14, color="#666")
        return fig

    font = 11
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 1.4, max(xs) + 1.4)
    ax.set_ylim(min(ys) - 0.9, max(ys) + 0.9)
    types_present = [t for t in ENTITY_TYPES if any(d["type"] == t for _, d in g.nodes(data=True))]
    texts = {}
    for t in types_present:
        texts.update(nx.draw_networkx_labels(
            g.subgraph([n for n, d in g.nodes(data=True) if d["type"] == t]), pos, ax=ax,
            labels={n: d["label"] for n, d in g.nodes(data=True) if d["type"] == t}, font_size=font,
            font_weight="bold", hide_ticks=False,
            bbox={"boxstyle": "round,pad=0.45", "fc": TYPE_COLORS.get(t, DEFAULT_COLOR), "ec": "#333", "lw": 1},
        ))
    # measure the boxes so arrows stop exactly at their border
    renderer = FigureCanvasAgg(fig).get_renderer()
    pad = 0.45 * font * fig.dpi / 72 + 2
    half = {n: (txt.get_window_extent(renderer).width / 2 + pad, txt.get_window_extent(renderer).height / 2 + pad)
            for n, txt in texts.items()}
    for txt in texts.values():
        txt.set_zorder(4)

    def margin(n: str, direction: np.ndarray) -> float:
        """Distance in points from the centre of n's box to its border along direction (display space)."""
        hw, hh = half[n]
        dx, dy = abs(direction[0]) or 1e-9, abs(direction[1]) or 1e-9
        return min(hw / dx, hh / dy) * float(np.hypot(dx, dy)) * 72 / fig.dpi + 2

    n_keys = max((k for _, _, k in g.edges(keys=True)), default=0) + 1
    # parallel arcs alternate sides; the offset keeps u->v and v->u arcs apart
    rads = [0.08 + 0.22 * ((k + 1) // 2) * (1 if k % 2 == 0 else -1) for k in range(n_keys)]
    to_data = ax.transData.inverted()
    for u, v, k, d in g.edges(keys=True, data=True):
        edge = d["data"]
        color = relation_color(edge.relation)
        # arc3 is a quadratic Bezier whose control point is computed in display space
        p1, p2 = ax.transData.transform(pos[u]), ax.transData.transform(pos[v])
        (dx, dy), r = p2 - p1, rads[k]
        ctrl = (p1 + p2) / 2 + r * np.array([dy, -dx])
        # one call per edge: networkx maps a list of connection styles by position, not by edge key
        nx.draw_networkx_edges(
            nx.DiGraph([(u, v)]), pos, ax=ax, nodelist=[u, v], node_size=0, style=edge.style(), width=1.8,
            edge_color=color, arrows=True, arrowstyle="-" if _undirected(edge.relation) else "-|>",
            arrowsize=16, connectionstyle=f"arc3,rad={r}", hide_ticks=False,
            min_source_margin=margin(u, ctrl - p1), min_target_margin=margin(v, p2 - ctrl),
        )
        # label on the arc, nearer the less crowded end so fan-in/fan-out labels spread out
        t = 0.42 if g.in_degree(v) >= g.out_degree(u) else 0.58
        x, y = to_data.transform((1 - t) ** 2 * p1 + 2 * t * (1 - t) * ctrl + t ** 2 * p2)
        ax.text(x, y, edge.label(), fontsize=9, color=color, ha="center", va="center", zorder=3,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
    handles = [Patch(facecolor=TYPE_COLORS.get(t, DEFAULT_COLOR), edgecolor="#333", label=t.replace("_", " ").lower())
               for t in types_present]
    handles += [Line2D([], [], color="#2e7d32", lw=2, label="activates"),
                Line2D([], [], color="#c62828", lw=2, label="inhibits"),
                Line2D([], [], color="#1565c0", lw=2, label="phosphorylates"),
                Line2D([], [], color="#333", lw=2, ls="dashed", label="negated"),
                Line2D([], [], color="#333", lw=2, ls="dotted", label="hedged")]
    fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 6), fontsize=10, frameon=False)
    return fig


def write_network(docs: Iterable[ProcessedDocument], out_dir: Path, *, max_nodes: int = 60, **opts: object) -> list[Path]:
    """Write ``out_dir/network/network.svg`` and ``network.png`` (text kept as text in the SVG)."""
    from pipeline.writers import drive

    return drive(NetworkSink(out_dir, max_nodes=max_nodes), docs)


class NetworkSink:
    """Aggregates the relations as they come (:class:`GraphBuilder`) and draws the graph at :meth:`close`."""

    def __init__(self, out_dir: Path, *, max_nodes: int = 60, **opts: object) -> None:
        self.out_dir = Path(out_dir)
        self.max_nodes = max_nodes
        self.builder = GraphBuilder()

    def add(self, pd: ProcessedDocument) -> None:
        self.builder.add(pd)

    def close(self) -> list[Path]:
        import matplotlib

        with matplotlib.rc_context({"text.parse_math": False}):
            fig = render(self.builder, max_nodes=self.max_nodes)
            folder = self.out_dir / "network"
            out = []
            with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "biomine"}):
                for fmt in ("svg", "png"):
                    buf = io.BytesIO()
                    fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else None, facecolor="white")
                    out.append(atomic_write_bytes(folder / f"network.{fmt}", buf.getvalue()))
        return out

    def abort(self) -> None:
        self.builder = GraphBuilder()
