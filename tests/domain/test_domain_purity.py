"""pib360/domain/ and pib360/documents/ know nothing of Flask, SQLAlchemy or the layers above
them. The documents render the domain's reports, so they may import the domain; the domain
never imports the documents."""

import ast
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

import pib360

SOURCE = Path(pib360.__file__).parent
FORBIDDEN = ("flask", "flask_", "sqlalchemy", "werkzeug", "jinja2", "alembic", "psycopg")
# Each pure package, and the other pib360 packages it may import.
PACKAGES = {"pib360.domain": (), "pib360.documents": ("pib360.domain",)}


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def is_forbidden(module: str, package: str) -> bool:
    """A web or database library, or a pib360 module that `package` may not use."""
    allowed = (package, *PACKAGES[package])
    outside = within(module, "pib360") and not any(within(module, a) for a in allowed)
    # `from .. import x` would reach above the package.
    return module.split(".")[0].startswith(FORBIDDEN) or outside or module.startswith("..")


def imported_modules(path: Path) -> list[str]:
    """Every module a source file imports, anywhere in it (also inside functions)."""
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules.append("." * node.level + (node.module or ""))
    return modules


def sources(package: str) -> list[Path]:
    found = sorted((SOURCE / package.removeprefix("pib360.")).rglob("*.py"))
    assert found
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_sources_import_nothing_of_the_web_or_database_layers(package):
    root = SOURCE / package.removeprefix("pib360.")
    offenders = {
        str(path.relative_to(root)): [m for m in imported_modules(path) if is_forbidden(m, package)]
        for path in sources(package)
    }
    assert not {path: found for path, found in offenders.items() if found}


def test_domain_sources_import_nothing_of_the_documents():
    imported = {m for path in sources("pib360.domain") for m in imported_modules(path)}
    assert not {m for m in imported if within(m, "pib360.documents")}
    # `from pib360 import documents` names the package in the import, not the module
    assert "pib360" not in imported


# Run in a fresh interpreter, with a bare `pib360` package standing in for the real one, so
# that the app factory in pib360/__init__.py (which does import Flask) is not executed.
PROBE = """
import importlib, json, pkgutil, sys, types
package = types.ModuleType("pib360")
package.__path__ = [{root!r}]
sys.modules["pib360"] = package
tested = importlib.import_module({package!r})
for module in pkgutil.walk_packages(tested.__path__, {package!r} + "."):
    importlib.import_module(module.name)
print(json.dumps(sorted(name for name in sys.modules if name != "pib360")))
"""


@cache
def loaded_by_importing(package: str) -> tuple[str, ...]:
    """The modules a fresh interpreter holds after importing every module of `package`."""
    probe = PROBE.format(root=str(SOURCE), package=package)
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return tuple(json.loads(result.stdout))


@pytest.mark.parametrize("package", PACKAGES)
def test_importing_loads_neither_flask_nor_sqlalchemy(package):
    loaded = loaded_by_importing(package)
    assert package in loaded
    assert not [name for name in loaded if is_forbidden(name, package)]


def test_importing_the_domain_loads_nothing_of_the_documents():
    loaded = loaded_by_importing("pib360.domain")
    assert not [name for name in loaded if within(name, "pib360.documents")]
