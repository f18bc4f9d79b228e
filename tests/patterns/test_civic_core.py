"""Pattern 1, civic core: a minority gives most volunteer hours, drawn from the better-off.

Mohan & Bulloch 2012 (England and Wales, Citizenship Survey 2007-10): about 31% of
adults supply 87-90% of volunteer hours, and the core comes mostly from the more
prosperous and less deprived. Run on ``baseline`` (no strategy that spreads the load), in
the year the calibration measures: after its burn-in, the status quo at rest
(:data:`sim.runs.calibration.BURN_IN_YEARS`).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import CoCreationModel
from sim.core.scenario import load_scenario
from sim.runs.calibration import BURN_IN_YEARS

from .conftest import PATTERN_CITIZENS, SEEDS


def annual_hours(seed: int, citizens: int = PATTERN_CITIZENS) -> tuple[np.ndarray, np.ndarray]:
    """Hours each citizen gave in the calibration's measured year, and their quintiles."""
    scenario = load_scenario("baseline").with_overrides({"citizens": citizens})
    model = CoCreationModel(scenario, rng=seed)
    model.run_for(BURN_IN_YEARS * 52)
    hours = np.zeros(model.n_citizens)
    for _ in range(52):
        model.run_for(1)
        hours += model.world.citizens.hours
    return hours, model.world.citizens.quintile.copy()


def core(hours: np.ndarray, share_of_hours: float = 0.88) -> np.ndarray:
    """Indices of the fewest citizens who together gave ``share_of_hours`` of all hours."""
    order = np.argsort(hours)[::-1]
    cumulative = np.cumsum(hours[order])
    k = int(np.searchsorted(cumulative, share_of_hours * cumulative[-1])) + 1
    return order[:k]


def check_civic_core(seed: int, citizens: int = PATTERN_CITIZENS) -> None:
    hours, quintile = annual_hours(seed, citizens)
    members = core(hours)
    core_share = len(members) / len(hours)
    # A minority: the published core is 31% of adults; we allow up to 45% (a clear
    # minority) and require at least 5% (hours are not held by a handful).
    assert 0.05 <= core_share <= 0.45, core_share
    # Concentration: the top 10% of citizens give at least half of all hours.
    top10 = np.sort(hours)[::-1][: len(hours) // 10].sum() / hours.sum()
    assert top10 >= 0.5, top10
    # Drawn from the better-off: at least 1.5 times as many core members from the two
    # top quintiles as from the two bottom ones (population shares are equal).
    top, bottom = np.mean(quintile[members] >= 3), np.mean(quintile[members] <= 1)
    assert top >= 1.5 * bottom, (top, bottom)


@pytest.mark.parametrize("seed", SEEDS)
def test_civic_core(seed: int) -> None:
    check_civic_core(seed)


@pytest.mark.slow
def test_civic_core_full_size() -> None:
    check_civic_core(0, citizens=20_000)
