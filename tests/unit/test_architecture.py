"""The house rules of the code's layout (docs/architecture.md): the packages read in the order of
the data flow, no module is too long, the root holds few modules, and the app reaches the package
only through its public API, the query library and the stores. The import layers themselves are
checked by import-linter (`lint-imports`, contracts in pyproject.toml)."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import gongkai

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "gongkai"
MAX_LINES = 600
MAX_ROOT_MODULES = 10


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_is_over_600_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long


def test_no_module_uses_the_rdflib_apis_whose_warnings_the_tests_hide() -> None:
    """pyproject.toml hides rdflib's deprecation warnings for Dataset.contexts, default_context
    and ConjunctiveGraph, which rdflib's own parsers raise; gongkai itself must not use them."""
    deprecated = ("ConjunctiveGraph", ".contexts(", ".default_context")
    used = {str(p.relative_to(ROOT)): word for p in [*_modules(), *sorted((ROOT / "app").rglob("*.py"))]
            for word in deprecated if word in p.read_text(encoding="utf-8")}
    assert not used, used


def test_the_package_root_holds_at_most_ten_modules() -> None:
    root = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(root) <= MAX_ROOT_MODULES, root


def _app_imports() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for p in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "gongkai":
                out.setdefault(node.module, set()).add(str(p.relative_to(ROOT)))
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] == "gongkai":
                        out.setdefault(a.name, set()).add(str(p.relative_to(ROOT)))
    return out


def test_the_app_uses_only_the_public_api_the_query_library_and_the_stores() -> None:
    allowed = ("gongkai", "gongkai.query", "gongkai.store")
    wrong = {m: sorted(files) for m, files in _app_imports().items()
             if not (m == "gongkai" or m.startswith(tuple(f"{a}." for a in allowed[1:])) or m in allowed)}
    assert not wrong, wrong


@pytest.mark.parametrize("name", gongkai.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(gongkai, name) is not None


def test_importing_the_package_loads_none_of_its_stages() -> None:
    """The public names are imported when first used: `import gongkai` (and so the command
    line's start) loads the ground floor only, no stage of the data flow."""
    code = "import sys, gongkai; print(' '.join(sorted(m for m in sys.modules if m.startswith('gongkai.'))))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert set(r.stdout.split()) <= {"gongkai.settings", "gongkai.errors", "gongkai.model"}, r.stdout


def test_the_import_contracts_hold() -> None:
    """import-linter's contracts (layers in data-flow order, no cycles, no RDF in reading and
    parsing, no Streamlit in the package)."""
    lint = Path(sys.executable).with_name("lint-imports")
    r = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:]
    assert "0 broken" in r.stdout


def test_every_package_says_what_it_does() -> None:
    for init in PACKAGE.rglob("__init__.py"):
        module = importlib.import_module(".".join(init.relative_to(PACKAGE.parent).parent.parts))
        assert module.__doc__ and len(module.__doc__.strip()) > 20, init


def test_ontology_terms_outside_rdf_come_from_the_namespace_objects() -> None:
    """The mapper's namespaces (gongkai.rdf.namespaces) are the one place a vocabulary's IRI is
    written in Python: elsewhere a term is GK.DisclosureList, str(DCTERMS) …, never its IRI as text."""
    from gongkai.rdf.namespaces import PREFIXES

    iris = {str(ns) for ns in PREFIXES.values()} - {str(PREFIXES["gkv"]), str(PREFIXES["shape"])}
    found = {}
    for path in _modules():
        if path.parent.name == "rdf":
            continue
        text = path.read_text(encoding="utf-8")
        hits = sorted(iri for iri in iris if f'"{iri}' in text or f"<{iri}" in text)
        if hits:
            found[str(path.relative_to(PACKAGE))] = hits
    assert not found, found
