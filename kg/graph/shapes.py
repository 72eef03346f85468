"""SHACL validation of a built graph against `ontology/shapes.ttl` (with pyshacl)."""
from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph

from kg.errors import KGError


def _ontology_dir() -> Path:
    """The source tree's ontology/ (editable install), else the copy a wheel installs."""
    source = Path(__file__).resolve().parents[2] / "ontology"  # kg/graph/shapes.py -> the tree
    if (source / "shapes.ttl").exists():
        return source
    return Path(sys.prefix) / "share" / "kg" / "ontology"


ONTOLOGY_DIR = _ontology_dir()


def validate_graph(data: Graph, *, shapes_path: Path | None = None) -> tuple[bool, str]:
    """(conforms, report text) for `data` against the shapes and the dip: ontology."""
    from pyshacl import validate

    shapes_path = shapes_path or ONTOLOGY_DIR / "shapes.ttl"
    if not shapes_path.exists():
        raise KGError(f"{shapes_path}: SHACL shapes not found (install kg from its source tree)")
    shapes = Graph().parse(shapes_path)
    ontology = Graph().parse(ONTOLOGY_DIR / "dip.ttl")
    conforms, _, report = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs",
                                   advanced=True)
    return bool(conforms), str(report)
