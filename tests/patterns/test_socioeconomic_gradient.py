"""Pattern 2, socioeconomic gradient: participation rises with resources, and an opt-in
arena without outreach widens the gaps in its benefits.

Verba, Schlozman & Brady 1995 (resource model); Steen, Brandsen & Verschuere 2018
("reinforced inequalities"). ``dark_elite_capture`` (opt-in arenas, no outreach, no
anchor institutions) is compared with the same scenario given targeted outreach and
anchor institutions that reach everyone.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import CoCreationModel
from sim.core.scenario import load_scenario

from .conftest import PATTERN_CITIZENS, SEEDS

REACHING_OUT = {
    "outreach": 0.8,
    "outreach_targeting": 1.0,
    "anchor_institutions": 0.8,
    "fund_targeting": 1.0,
}


@pytest.mark.parametrize("seed", SEEDS)
def test_participation_rises_with_resources(seed: int) -> None:
    scenario = load_scenario("baseline").with_overrides({"citizens": PATTERN_CITIZENS})
    model = CoCreationModel(scenario, rng=seed)
    model.run_for(2 * 52)
    table = model.quintile_table()
    rate = table[table.step > 52].groupby("quintile")["participation_rate"].mean().to_numpy()
    # Monotone up to noise: each quintile at least the one below minus 0.01, and a
    # clear overall gradient (top minus bottom quintile at least 5 points).
    assert np.all(np.diff(rate) > -0.01), rate
    assert rate[4] - rate[0] >= 0.05, rate


def gaps(run) -> np.ndarray:
    """Last-year mean quintile gaps (q5 - q1): participation, wellbeing, mattering."""
    last = run.iloc[-52:]
    return np.array(
        [
            (last.participation_q5 - last.participation_q1).mean(),
            last.wellbeing_gap_q5_q1.mean(),
            last.mattering_gap_q5_q1.mean(),
        ]
    )


def test_opt_in_without_outreach_widens_gaps_in_the_first_years(sim) -> None:
    """Over the first three years."""
    years = 3
    captured = np.array([gaps(sim("dark_elite_capture", s, years)) for s in SEEDS])
    reached = np.array([gaps(sim("dark_elite_capture", s, years, **REACHING_OUT)) for s in SEEDS])
    # In every seed the opt-in arena leaves wider gaps in taking part, in wellbeing and
    # in mattering; the participation gap by at least 1.5 points on average.
    assert np.all(captured > reached), (captured, reached)
    assert (captured[:, 0] - reached[:, 0]).mean() >= 0.015, (captured, reached)


def test_opt_in_without_outreach_widens_gaps_in_the_long_run(sim) -> None:
    """Over eight years. The opt-in arenas' few volunteer roles (``arena_places`` in
    ``dark_elite_capture.yaml``) go to those with ties and resources; without that limit
    some seeds tipped into almost everyone volunteering after about five years, which
    closed the gaps (checked on seeds 0-8 when the limit was set)."""
    years = 8
    captured = np.array([gaps(sim("dark_elite_capture", s, years)) for s in SEEDS])
    reached = np.array([gaps(sim("dark_elite_capture", s, years, **REACHING_OUT)) for s in SEEDS])
    assert np.all(captured[:, :2] > reached[:, :2]), (captured, reached)
    assert (captured[:, 0] - reached[:, 0]).mean() >= 0.02, (captured, reached)
