"""Network figure: SVG parses and names the nodes, PNG is a PNG, the graph is the ASK1 network."""
from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pipeline.writers.load import load_output_dir
from pipeline.writers.network import build_graph, layout, write_network

FIXTURE = Path(__file__).parent / "fixtures" / "sample_output"


@pytest.fixture(scope="module")
def docs():
    return load_output_dir(FIXTURE)


def test_graph(docs):
    g = build_graph(docs)
    assert "HGNC:6857" in g and g.nodes["HGNC:6857"]["label"] == "MAP3K5\n(ASK1)\nP-S83"
    assert g.nodes["FPLX:AKT"]["type"] == "FAMILY"
    rels = {(u, v, d["data"].relation) for u, v, d in g.edges(data=True)}
    assert {("FPLX:AKT", "HGNC:6857", "phosphorylation"), ("FPLX:AKT", "HGNC:6857", "inhibition"),
            ("HGNC:6857", "FPLX:JNK", "activation"), ("HGNC:6857", "FPLX:p38", "activation"),
            ("CHEMBL:CHEMBL3916717", "HGNC:6857", "drug_inhibits_target"),
            ("MESH:D018384", "HGNC:6857", "stress_activates_target")} <= rels
    raf = g.edges["FPLX:RAF", "FPLX:JNK", 0]["data"]
    assert raf.style() == "dashed" and raf.label() == "NOT activation"
    assert g.edges["FPLX:AKT", "HGNC:6857", 0]["data"].label() == "phosphorylation S83"
    pos = layout(g)
    # upstream regulators left of ASK1, its targets right of it
    assert pos["FPLX:AKT"][0] < pos["HGNC:6857"][0] < pos["FPLX:JNK"][0]
    small = build_graph(docs, max_nodes=3)
    assert small.number_of_nodes() == 3 and "HGNC:6857" in small


def test_files(docs, tmp_path):
    svg, png = write_network(docs, tmp_path)
    assert (svg.name, png.name) == ("network.svg", "network.png")
    root = ET.fromstring(svg.read_bytes())
    assert root.tag.endswith("svg")
    texts = " ".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))
    for label in ("MAP3K5", "AKT", "JNK", "p38", "selonsertib", "Oxidative Stress", "NOT activation", "phosphorylation S83"):
        assert label in texts, label
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 900 and height >= 600


def test_empty_input(tmp_path):
    svg, png = write_network([], tmp_path)
    assert "no relations" in svg.read_text()
    assert png.read_bytes()[:4] == b"\x89PNG"
