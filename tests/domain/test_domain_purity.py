"""pib360/domain/ knows nothing of Flask, SQLAlchemy or the layers above it."""

import ast
import subprocess
import sys
from pathlib import Path

import pib360.domain

DOMAIN = Path(pib360.domain.__file__).parent
FORBIDDEN = ("flask", "flask_", "sqlalchemy", "werkzeug", "jinja2", "alembic", "psycopg")


def imported_modules(path: Path) -> list[str]:
    """Every module a source file imports, anywhere in it (also inside functions)."""
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules.append("." * node.level + (node.module or ""))
    return modules


def is_forbidden(module: str) -> bool:
    top = module.split(".")[0]
    outside_domain = module.startswith("pib360") and not module.startswith("pib360.domain")
    # `from .. import x` would reach above the domain package.
    return top.startswith(FORBIDDEN) or outside_domain or module.startswith("..")


def test_domain_sources_import_nothing_of_the_web_or_database_layers():
    sources = sorted(DOMAIN.rglob("*.py"))
    assert sources
    offenders = {
        str(path.relative_to(DOMAIN)): [m for m in imported_modules(path) if is_forbidden(m)]
        for path in sources
    }
    assert not {path: found for path, found in offenders.items() if found}


# Run in a fresh interpreter, with a bare `pib360` package standing in for the real one, so
# that the app factory in pib360/__init__.py (which does import Flask) is not executed.
PROBE = """
import importlib, pkgutil, sys, types
package = types.ModuleType("pib360")
package.__path__ = [{root!r}]
sys.modules["pib360"] = package
import pib360.domain
for module in pkgutil.walk_packages(pib360.domain.__path__, "pib360.domain."):
    importlib.import_module(module.name)
forbidden = {forbidden!r}
loaded = sorted(
    name for name in sys.modules
    if name.split(".")[0].startswith(forbidden)
    or (name.startswith("pib360.") and not name.startswith("pib360.domain"))
)
assert not loaded, loaded
"""


def test_importing_the_domain_loads_neither_flask_nor_sqlalchemy():
    probe = PROBE.format(root=str(DOMAIN.parent), forbidden=FORBIDDEN)
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
