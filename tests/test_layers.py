"""The house drawn from the imports: every module of `kg/` lives on one floor (`LAYERS`), imports
only from its own floor and those below it, and no two packages import each other, directly or
round a longer circle. Imports are read with `ast`, at module level and inside functions alike:
an import put inside a function to dodge a circle is the same circle.

Run as a script on another checkout to draw its house: `python tests/test_layers.py ../other`.
"""
from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent

#: The floors, lowest first: what every layer shares, the data every stage reads, the stages an
#: article goes through in the order it goes through them, then what runs and reads builds, and the
#: command on top. A module may import its own floor and the floors below; data flows down.
LAYERS: list[tuple[str, ...]] = [
    ("kg", "kg.errors", "kg.records", "kg.util"),  # the version, the KGError family, the records, helpers
    ("kg.knowledge",),  # lexicons, gazetteer, CAMEO: kg/data/ as code reads it
    ("kg.ingest",),  # articles and dates in
    ("kg.nlp",),  # spaCy and the components kg adds
    ("kg.resolve",),  # actors, annotated on the Doc
    ("kg.extract",),  # events in sentences, decided by the trained coder
    ("kg.events",),  # an article's events, merged across articles, the events table
    ("kg.evaluation",),  # scoring against gold, training the coder: beside the stages they measure
    ("kg.graph",),  # RDF, the stores, publishing build folders
    ("kg.query",),  # reading a build: SPARQL, export, the endpoint
    ("kg.views",),  # what users look at, read from a build or a server
    ("kg.build",),  # runs the stages; the view and a server are sinks handed in from above
    ("kg.cli",),  # the command, a thin layer over all of it
]
FLOOR = {unit: floor for floor, units in enumerate(LAYERS) for unit in units}


def module_names(root: Path) -> dict[str, Path]:
    """Dotted name -> file, for every module under `root`/kg."""
    out = {}
    for path in sorted((root / "kg").rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imports(root: Path) -> Iterator[tuple[str, str, int]]:
    """(importing module, imported kg module, line) for every import of a kg module under `root`;
    `from kg.x import y` names the module kg.x.y when there is one."""
    modules = module_names(root)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([node.module] if node.module else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            else:
                continue
            for target in targets:
                if target == "kg" or target.startswith("kg."):
                    yield name, target, node.lineno


def unit(module: str) -> str:
    """The floor's unit a module belongs to: the longest name in LAYERS it is or lies under (`kg`
    itself holds only kg/__init__.py); else (a module no floor holds) its package below kg, so
    that circles show on any layout."""
    found = [u for u in FLOOR if module == u or u != "kg" and module.startswith(u + ".")]
    if found:
        return max(found, key=len)
    return ".".join(module.split(".")[:2])


def edges(root: Path) -> dict[tuple[str, str], list[str]]:
    """(unit, unit it imports) -> where, for imports between different units."""
    out: dict[tuple[str, str], list[str]] = {}
    for importer, imported, line in imports(root):
        a, b = unit(importer), unit(imported)
        where = out.setdefault((a, b), []) if a != b else []
        if f"{importer}:{line} imports {imported}" not in where:
            where.append(f"{importer}:{line} imports {imported}")
    return out


def unplaced(root: Path) -> list[str]:
    return sorted(name for name in module_names(root) if unit(name) not in FLOOR)


def upward(root: Path) -> list[str]:
    """Imports from a floor to a higher one."""
    return sorted(w for (a, b), where in edges(root).items() if a in FLOOR and b in FLOOR and FLOOR[b] > FLOOR[a]
                  for w in where)


def circles(root: Path) -> list[list[str]]:
    """The groups of units that import each other, round and round."""
    graph = nx.DiGraph(list(edges(root)))
    return sorted(sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1)


def test_every_module_has_a_floor():
    assert not unplaced(ROOT), f"modules on no floor (add their package to LAYERS): {unplaced(ROOT)}"


def test_no_import_runs_up_a_floor():
    assert not upward(ROOT), "imports from a lower floor to a higher one:\n  " + "\n  ".join(upward(ROOT))


def test_no_circle_between_packages():
    found = circles(ROOT)
    detail = [w for c in found for (a, b), where in edges(ROOT).items() if a in c and b in c for w in where]
    assert not found, f"packages that import each other: {found}\n  " + "\n  ".join(detail)


def test_the_check_sees_imports_inside_functions(tmp_path):
    """Upward imports inside functions (one relative), and a circle closed by one, are found."""
    kg = tmp_path / "kg"
    for package in ("graph", "build", "views"):
        (kg / package).mkdir(parents=True)
        (kg / package / "__init__.py").write_text("")
    (kg / "__init__.py").write_text("")
    (kg / "graph" / "remote.py").write_text("def upload():\n    from kg.build.driver import build\n")
    (kg / "build" / "driver.py").write_text("from kg.graph import remote\n")
    (kg / "views" / "page.py").write_text("def view():\n    from ..build import driver\n")
    assert upward(tmp_path) == ["kg.graph.remote:2 imports kg.build.driver", "kg.views.page:2 imports kg.build.driver"]
    assert circles(tmp_path) == [["kg.build", "kg.graph"]]


if __name__ == "__main__":
    tree = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT
    print("on no floor:", *unplaced(tree), sep="\n  ")
    print("upward:", *upward(tree), sep="\n  ")
    for group in circles(tree):
        print("circle:", " <-> ".join(group))
        for (a, b), where in sorted(edges(tree).items()):
            if a in group and b in group:
                print("   ", *where, sep="\n    ")
