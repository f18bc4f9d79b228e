"""Dark side, reinforced inequalities and loss of democracy (Steen, Brandsen & Verschuere
2018; MODEL.md pattern 2): opt-in arenas without outreach widen the gaps.

``dark_elite_capture`` (opt-in arenas with few places, no outreach, no anchors, an open-call
fund) is compared with the same strategy with outreach: the co-creation base's outreach,
targeting and anchors, and the fund shared per capita. Over the last year, capture widens
the quintile gap (top minus bottom quintile) and the ward gap (the less deprived half of
the wards minus the more deprived half) in participation and in wellbeing, on every seed.
The ward gap is directional: targeted outreach that lifts the deprived wards above the
others has not widened it.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from sim import CoCreationModel
from sim.core.scenario import load_scenario

from .conftest import PATTERN_CITIZENS, SEEDS

YEARS = 8
LAST_YEAR = 52
WITH_OUTREACH = {
    "outreach": 0.5,
    "outreach_targeting": 0.5,
    "anchor_institutions": 0.3,
    "fund_targeting": 0.5,
}


@functools.lru_cache(maxsize=16)
def gaps(seed: int, outreach: bool) -> dict[str, float]:
    """Quintile and ward gaps in participation and wellbeing, last-year means."""
    overrides = {"citizens": PATTERN_CITIZENS, **(WITH_OUTREACH if outreach else {})}
    model = CoCreationModel(load_scenario("dark_elite_capture").with_overrides(overrides), rng=seed)
    model.run_for(YEARS * 52)
    ts = model.datacollector.get_model_vars_dataframe().iloc[-LAST_YEAR:]
    wards = model.neighbourhood_table()
    wards = wards[wards.step > (YEARS - 1) * 52].groupby("neighbourhood").mean()
    better_off = wards.deprivation <= np.median(wards.deprivation)

    def ward_gap(column: str) -> float:
        return float(wards[column][better_off].mean() - wards[column][~better_off].mean())

    return {
        "participation, quintiles": float((ts.participation_q5 - ts.participation_q1).mean()),
        "participation, wards": ward_gap("participation_rate"),
        "wellbeing, quintiles": float(ts.wellbeing_gap_q5_q1.mean()),
        "wellbeing, wards": ward_gap("mean_wellbeing"),
    }


@pytest.mark.parametrize("seed", SEEDS)
def test_capture_widens_quintile_and_ward_gaps(seed: int) -> None:
    captured, reached = gaps(seed, False), gaps(seed, True)
    wider = {k: captured[k] > reached[k] for k in captured}
    assert all(wider.values()), {k: (captured[k], reached[k]) for k in captured}
