"""Shared fixtures: the real spaCy pipeline (loaded once) and one real build of the seed."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.knowledge import builtin_gazetteer
from kg.nlp import load_pipeline

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "seeds"


def pytest_collection_modifyitems(config, items):
    """Under mutmut (benchmarks/mutation.py) a mutant's tests come in no particular order and the first
    failure ends the run: the quick tables go first, the tests that parse sentences or build after."""
    if os.environ.get("MUTANT_UNDER_TEST"):
        items.sort(key=lambda item: "nlp" in getattr(item, "fixturenames", ()) or item.path.name == "test_build.py")


@pytest.fixture(scope="session")
def gazetteer():
    return builtin_gazetteer()


@pytest.fixture(scope="session")
def nlp(gazetteer):
    return load_pipeline(None, gazetteer)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """`kg build seeds/` through the CLI, once per session; tests read but never change it."""
    out = tmp_path_factory.mktemp("seed-build") / "output"
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture()
def copy_of_seed_build(seed_build, tmp_path) -> Path:
    out = tmp_path / "output"
    shutil.copytree(seed_build, out)
    return out


def load_script(name: str):
    """A script of scripts/ as a module (scripts/ is no package), for its functions' tests."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def shared_or_skip(*parts: str) -> Path:
    """A path under ../shared/; in CI shared/ is always there, so a missing one fails there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing in CI")
        pytest.skip(f"{path} not available")
    return path


@pytest.fixture()
def internal_address():
    """An HTTP server on loopback standing for an internal address: (its URL, the paths asked of it).
    It answers 500 to everything, so a query that reached it fails."""
    import http.server
    import threading

    hits: list[str] = []

    class Target(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()
        do_GET = do_POST

        def log_message(self, *args):
            pass

    target = http.server.HTTPServer(("127.0.0.1", 0), Target)
    threading.Thread(target=target.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{target.server_address[1]}", hits
    target.shutdown()
    target.server_close()
