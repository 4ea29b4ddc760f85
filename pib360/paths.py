"""Where pib360's data folders are: templates/, static/, translations/ and migrations/.

At the top of the repository in a checkout (an editable install too), and in pib360/_data
when installed from a wheel (hatch_build.py puts them there).
"""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE / "_data" if (PACKAGE / "_data").is_dir() else PACKAGE.parent
