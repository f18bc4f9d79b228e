"""Shared set-up for the pattern tests: small populations, several seeds, cached runs.

Pattern-oriented modelling (Grimm et al. 2005): each test runs the model on scenarios
made for the pattern and asserts it with a stated tolerance. Populations are reduced
(``PATTERN_CITIZENS``) to keep the suite fast; ``--runslow`` adds full-size variants.
The seeds are 0, 1 and 2; ``COCREATE_PATTERN_SEEDS=3,4,5`` checks the patterns on others.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable

import pandas as pd
import pytest

from sim.runs.outcomes import run_scenario

PATTERN_CITIZENS = 3000
SEEDS = tuple(int(s) for s in os.environ.get("COCREATE_PATTERN_SEEDS", "0,1,2").split(","))


@functools.lru_cache(maxsize=256)
def _cached(
    name: str, params: tuple[tuple[str, object], ...], seed: int, years: int
) -> pd.DataFrame:
    result = run_scenario(name, params=dict(params), rng=seed, years=years)
    return result["timeseries"]


def simulate(
    name: str, seed: int, years: int, citizens: int = PATTERN_CITIZENS, **params: object
) -> pd.DataFrame:
    """Weekly reporters of one run (cached: tests share runs of the same settings)."""
    key = tuple(sorted({"citizens": citizens, **params}.items()))
    return _cached(name, key, seed, years).copy()


@pytest.fixture
def sim() -> Callable[..., pd.DataFrame]:
    """The cached :func:`simulate` function."""
    return simulate
