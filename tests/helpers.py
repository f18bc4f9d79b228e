"""Small helpers the tests share; tests import it by name (``from helpers import ...``).

Not part of the installed package: pytest puts this folder on the path (it has no
``__init__.py``), as for :mod:`browser`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from sim.core.params import PARAMS

DEFAULT: Mapping[str, float | int | bool] = MappingProxyType({p.name: p.default for p in PARAMS})
"""Every parameter's default, by name (read-only: the test modules share one)."""
