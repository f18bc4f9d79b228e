"""Pattern 5, uneven engagement: wards that start with more resources engage more and
pull ahead unless investment is targeted (seed 002, Wigan pitfall: uneven engagement
across areas).

The Wigan Deal with an untargeted fund and outreach is compared with the same deal
targeted at deprivation (proportionate universalism, Marmot 2010).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim import CoCreationModel
from sim.scenario import load_scenario

from .conftest import PATTERN_CITIZENS, SEEDS

UNTARGETED = {"fund_targeting": 0.0, "outreach_targeting": 0.0, "anchor_institutions": 0.0}
TARGETED = {"fund_targeting": 1.0, "outreach_targeting": 1.0, "anchor_institutions": 0.8}


def ward_slope(overrides: dict, seed: int, years: int = 6) -> tuple[float, float]:
    """Slope of ward participation on ward deprivation in year 1 and in the last year."""
    scenario = load_scenario("wigan_deal").with_overrides(
        {"citizens": PATTERN_CITIZENS, "neighbourhoods": 6, "segregation": 0.8, **overrides}
    )
    model = CoCreationModel(scenario, rng=seed)
    model.run_for(years * 52)
    table = model.neighbourhood_table()

    def slope(weeks: slice) -> float:
        part = table[(table.step >= weeks.start) & (table.step < weeks.stop)]
        by_ward = part.groupby("neighbourhood")[["deprivation", "participation_rate"]].mean()
        return float(np.polyfit(by_ward.deprivation, by_ward.participation_rate, 1)[0])

    return slope(slice(1, 53)), slope(slice((years - 1) * 52, years * 52 + 1))


@pytest.mark.parametrize("seed", SEEDS)
def test_richer_wards_engage_more(seed: int) -> None:
    first, last = ward_slope(UNTARGETED, seed)
    # Better-resourced (less deprived) wards engage more, from the first year to the last:
    # participation falls by at least 5 points from the least to the most deprived ward.
    assert first < -0.05 and last < -0.05, (first, last)


@pytest.mark.xfail(
    strict=True,
    reason="pattern not yet reproduced: richer wards do not pull further ahead over the "
    "years in every seed, and targeting does not flatten the gradient by a third in every "
    "seed; see the note on issue 3",
)
def test_rich_wards_pull_ahead_unless_targeted() -> None:
    for seed in SEEDS:
        first, last = ward_slope(UNTARGETED, seed)
        # They pull further ahead over the years...
        assert last < first, (seed, first, last)
        _, targeted_last = ward_slope(TARGETED, seed)
        # ...unless targeted: targeting keeps the gradient at least a third flatter.
        assert targeted_last > last + abs(last) / 3.0, (seed, last, targeted_last)
