"""Ship the bundled scenarios and experiment files inside the package.

They live at the top of the checkout (``scenarios/``, ``experiments/``), where users read
and edit them; a wheel carries copies under ``sim/_bundled/``, so that a bundled name
(``baseline``, ``sobol_wigan``) resolves in any install (:func:`sim.core.io.bundled_dir`).
Everything else is configured in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = {"scenarios": ("*.yaml", "README.md"), "experiments": ("*.yaml",)}
"""Folder of the checkout: the files of it that ship."""


class BuildWithBundled(build_py):
    """``build_py`` that also copies the bundled files into ``sim/_bundled``."""

    def run(self) -> None:
        """Build the package, then add the bundled files."""
        super().run()
        for folder, patterns in BUNDLED.items():
            target = Path(self.build_lib) / "sim" / "_bundled" / folder
            target.mkdir(parents=True, exist_ok=True)
            for pattern in patterns:
                for source in sorted((ROOT / folder).glob(pattern)):
                    shutil.copy2(source, target / source.name)


setup(cmdclass={"build_py": BuildWithBundled})
