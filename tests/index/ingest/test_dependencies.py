"""Every third-party package that index/ and bot/ import is a declared dependency of the project.

An environment that resolved a package only through another's extra (lxml_html_clean through
justext's ``lxml[html_clean]``) failed every HTML ingest with an ImportError; declaring what the
code imports keeps such environments from being resolvable.
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import re
import sys
import tomllib

from tests.conftest import ROOT


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {_normalised(re.split(r"[\s\[<>=!~;]", spec, maxsplit=1)[0]) for spec in project["dependencies"]}


def _imported_modules() -> dict[str, set[str]]:
    """Top-level third-party modules imported anywhere in index/ and bot/ (lazy imports included)."""
    found: dict[str, set[str]] = {}
    for package in ("index", "bot"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in ("index", "bot"):
                        found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_imported_package_is_a_declared_dependency() -> None:
    distributions = importlib.metadata.packages_distributions()
    declared = _declared()
    imported = _imported_modules()
    assert {"aiohttp", "yarl", "feedparser", "trafilatura"} <= imported.keys()  # the scan sees imports
    undeclared = {
        module: sorted(where)
        for module, where in imported.items()
        if not any(_normalised(d) in declared for d in distributions.get(module, [module]))
    }
    assert not undeclared, f"imported but not in [project].dependencies: {undeclared}"


def test_what_html_ingest_needs_at_run_time_is_declared() -> None:
    assert "lxml-html-clean" in _declared()
    clean = importlib.import_module("lxml.html.clean")  # what justext imports; lxml 5.2+ needs the package

    assert clean.Cleaner is not None
