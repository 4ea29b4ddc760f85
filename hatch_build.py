"""Wheel build step: put the top-level data folders into the package.

templates/, static/ and migrations/ stay at the top of the repository, where a checkout
reads them; a wheel carries them as pib360/_data/... (see `pib360.ROOT`). The compiled
catalogues (translations/*/LC_MESSAGES/messages.mo) are not in git: `make catalogs` builds
them for a checkout, and this hook builds them for a wheel, so a wheel made from a fresh
clone or from the sdist speaks Dutch as well.
"""

import shutil
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

DATA = "pib360/_data"
FOLDERS = ("templates", "static", "migrations")


class DataFoldersHook(BuildHookInterface):
    """Map the data folders and the freshly compiled catalogues into the wheel."""

    def initialize(self, version: str, build_data: dict) -> None:
        """Add the folders to the wheel, and the catalogues compiled into a scratch folder."""
        if version == "editable":
            return  # an editable install reads everything from the checkout
        for folder in FOLDERS:
            build_data["force_include"][folder] = f"{DATA}/{folder}"
        self.compiled = Path(tempfile.mkdtemp(prefix="pib360-catalogues-"))
        compile_catalogues(Path(self.root, "translations"), self.compiled)
        build_data["force_include"][str(self.compiled)] = f"{DATA}/translations"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        """Remove the scratch folder once the wheel is written."""
        if version != "editable":
            shutil.rmtree(self.compiled)


def compile_catalogues(source: Path, target: Path) -> None:
    """Compile every <locale>/LC_MESSAGES/messages.po under `source` into `target`."""
    catalogues = sorted(source.glob("*/LC_MESSAGES/messages.po"))
    if not catalogues:
        raise FileNotFoundError(f"no message catalogues in {source}")
    for po_path in catalogues:
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        mo_path.parent.mkdir(parents=True)
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            # As `make catalogs` (pybabel compile --use-fuzzy) does for a checkout.
            write_mo(mo_file, catalogue, use_fuzzy=True)
