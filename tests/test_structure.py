"""The layout rules of the codebase, checked: core never draws, one module caches, folders stay
small, and no module reaches into another's private names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

# A folder of more than this many modules wants subpackages that name its parts (a folder not
# split yet would be listed in NOT_YET_SPLIT, so the test names what is left).
MAX_MODULES = 12
NOT_YET_SPLIT: set[str] = set()


def _modules(folder: str) -> list[Path]:
    return sorted((REPO / folder).rglob("*.py"))


def _imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every ``from X import name`` in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.module or "", alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    ]


def test_core_never_imports_streamlit_or_plotly():
    for path in _modules("core"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                assert name.split(".")[0] not in ("streamlit", "plotly"), f"{path}: {name}"


def test_only_one_page_module_touches_streamlits_caches():
    users = {
        str(p.relative_to(REPO))
        for p in [*_modules("pages"), REPO / "dashboard.py"]
        if "cache_data" in p.read_text(encoding="utf-8")
        or "cache_resource" in p.read_text(encoding="utf-8")
    }
    assert users == {"pages/_shared.py"}


@pytest.mark.parametrize("root", ["core", "pages", "benchmarks", "tests"])
def test_no_folder_holds_too_many_modules(root):
    folders = {p.parent for p in _modules(root)}
    for folder in folders:
        name = str(folder.relative_to(REPO))
        n = len([p for p in folder.glob("*.py") if p.name != "__init__.py"])
        if name in NOT_YET_SPLIT:
            continue
        assert n <= MAX_MODULES, f"{name}: {n} modules"


def test_no_module_imports_another_modules_private_names():
    for path in [*_modules("core"), *_modules("pages"), REPO / "dashboard.py"]:
        for module, name in _imports(path):
            if module.split(".")[0] not in ("core", "pages"):
                continue
            # pages/_shared.py and friends are modules named with "_" (Streamlit skips them as
            # pages); importing such a module is fine, importing a private name from one is not.
            if module == "pages":
                continue
            assert not (name.startswith("_") and not name.startswith("__")), (
                f"{path.relative_to(REPO)}: from {module} import {name}"
            )
