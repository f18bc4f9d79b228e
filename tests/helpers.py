"""Small helpers the tests share; tests import it by name (``from helpers import ...``).

Not part of the installed package: pytest puts this folder on the path (it has no
``__init__.py``), as for :mod:`browser`.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType, ModuleType

from sim.core.params import PARAMS

DEFAULT: Mapping[str, float | int | bool] = MappingProxyType({p.name: p.default for p in PARAMS})
"""Every parameter's default, by name (read-only: the test modules share one)."""


def load_script(path: Path, name: str | None = None) -> ModuleType:
    """A script outside the package (``experiments/``, ``benchmarks/``), imported as a module.

    ``name`` is the module's ``__name__`` (the file's stem if None); the module is not
    added to ``sys.modules``, and its ``if __name__ == "__main__"`` part does not run.
    """
    spec = importlib.util.spec_from_file_location(name or path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
