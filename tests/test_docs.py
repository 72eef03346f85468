"""The documentation: a short README whose links lead somewhere, and the site under docs/, which
builds strictly (a broken link or anchor fails) with a command reference generated from the click
commands, never written by hand."""
from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from kg.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
#: [text](target): inline Markdown links, not images
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def test_the_readme_is_short():
    assert len(README.splitlines()) < 150


def test_every_relative_link_of_the_readme_is_a_file():
    targets = [t for t in LINK.findall(README) if not re.match(r"[a-z]+:", t) and not t.startswith("#")]
    assert targets, "the README links to no documentation page"
    for target in targets:
        path = ROOT / target.split("#")[0]
        assert path.is_file(), f"README links to {target}, which is not a file"


def test_the_readme_points_to_every_page_of_the_site():
    pages = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md"))
    linked = {t.split("#")[0] for t in LINK.findall(README)}
    assert [p for p in pages if p not in linked] == []


def test_the_readme_quick_start_is_what_ci_runs():
    """The two commands of the quick start, word for word in .ci/run, which installs the project as
    the README says and runs its test command."""
    quick = README[README.index("\n## Quick start\n"):]
    commands = re.findall(r"```sh\n(.*?)\n```", quick, flags=re.S)[:2]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert len(commands) == 2 and all(c in ci for c in commands), commands


def test_the_readme_first_query_is_one_of_the_example_queries():
    first = README[README.index("\n## A first query\n"):]
    block = re.search(r"```sh\n(.*?)```", first, flags=re.S)
    assert block is not None
    querying = (ROOT / "docs" / "querying.md").read_text(encoding="utf-8")
    for line in block[1].splitlines():
        assert line in querying.splitlines(), line


def _commands(group: click.Group) -> list[str]:
    """Every command and subcommand of `group`, by name."""
    names = []
    for name, command in group.commands.items():
        names.append(name)
        if isinstance(command, click.Group):
            names += _commands(command)
    return names


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    if importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("mkdocs_click") is None:
        if os.environ.get("CI"):
            pytest.fail("mkdocs is missing in CI (the test and docs extras install it)")
        pytest.skip("mkdocs and mkdocs-click are not installed (pip install -e '.[docs]')")
    out = tmp_path_factory.mktemp("site")
    # never with --quiet: mkdocs counts only the warnings it prints, so -q --strict passes broken links
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    return out


def test_the_site_builds_strictly_with_every_page(site):
    for page in sorted((ROOT / "docs").glob("*.md")):
        built = site / ("index.html" if page.stem == "index" else f"{page.stem}/index.html")
        assert built.is_file(), f"{page.name} was not built"


def test_the_command_reference_is_generated_from_the_click_commands(site):
    page = (site / "cli" / "index.html").read_text(encoding="utf-8")
    for name in _commands(main):
        assert f'id="{name}"' in page, f"kg {name} is missing from the command reference"
    # each command's options as its --help prints them, and its examples as code
    build = main.commands["build"]
    for param in build.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--"):
                assert opt in page, opt
    assert "<pre><code" in page and "kg build seeds/" in page
    assert "Sentinel.UNSET" not in page
