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
from sim.scenario import load_scenario

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


@pytest.mark.xfail(
    strict=True,
    reason="pattern not yet robust: in some seeds the opt-in scenario tips into very high "
    "participation, which compresses the quintile gaps; see the note on issue 3",
)
def test_opt_in_without_outreach_widens_gaps(sim) -> None:
    years = 8
    captured, reached = [], []
    for seed in SEEDS:
        a = sim("dark_elite_capture", seed, years)
        b = sim("dark_elite_capture", seed, years, **REACHING_OUT)
        last = slice(-52, None)
        captured.append(
            (
                a.wellbeing_gap_q5_q1.iloc[last].mean(),
                (a.participation_q5 - a.participation_q1).iloc[last].mean(),
            )
        )
        reached.append(
            (
                b.wellbeing_gap_q5_q1.iloc[last].mean(),
                (b.participation_q5 - b.participation_q1).iloc[last].mean(),
            )
        )
    captured_arr, reached_arr = np.array(captured), np.array(reached)
    # In every seed the opt-in arena leaves the wider participation gap and the wider
    # wellbeing gap; the participation gap by at least 2 points on average.
    assert np.all(captured_arr[:, 1] > reached_arr[:, 1]), (captured_arr, reached_arr)
    assert np.all(captured_arr[:, 0] > reached_arr[:, 0]), (captured_arr, reached_arr)
    assert (captured_arr[:, 1] - reached_arr[:, 1]).mean() >= 0.02
